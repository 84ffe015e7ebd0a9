/**
 * The offline rule per lock (docs/protocol.md §13.4): a lock that announces a heartbeat of `hb`
 * seconds gets two of its intervals beyond the mains rule's 9 s on top of OFFLINE_AFTER_MS, so with
 * the default 30 s it is offline after 2 × hb + 12 s of silence; a lock that says nothing keeps
 * the mains rule.
 */
export const MAINS_HEARTBEAT_S = 9;
export const MAX_HEARTBEAT_S = 300;
/** Missed intervals tolerated: 2 intervals, 1000 ms per second. */
export const EXTRA_MS_PER_SECOND = 2000;

/** How long after its last accepted status a lock is declared offline. */
export function offlineAfterMsFor(offlineAfterMs: number, heartbeatS: number | null): number {
  return offlineAfterMs + EXTRA_MS_PER_SECOND * ((heartbeatS ?? MAINS_HEARTBEAT_S) - MAINS_HEARTBEAT_S);
}
