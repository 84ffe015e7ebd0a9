/**
 * Heartbeats are written in batches, so a crash loses the (boot, seq) of the
 * ones accepted since the last flush; after a restart the stored pair is older
 * and a replay of a lost heartbeat would be accepted a second time. The stored
 * pair cannot say more without a write per heartbeat, but time can: the last
 * stored status gives the lock's clock against ours (its `ts` and `lastSeen`),
 * so a status whose `ts` maps to before this process started was sent to — and
 * possibly accepted by — the process before. Such a status is a replay, until
 * the lock has a status accepted since the start (docs/protocol.md §6).
 */
import type { StatusMessage } from './protocol/messages.js';
import type { LockRecord } from '../store/records.js';

/** `ts` is whole seconds: a status sent right after the start may map up to 1 s early. */
const TS_RESOLUTION_MS = 1000;

export function sentBeforeStart(lock: Pick<LockRecord, 'lastBoot' | 'lastTs' | 'lastSeen'>, message: Pick<StatusMessage, 'boot' | 'ts'>, startedAt: number): boolean {
  // Accepted since we started (by us or a replica): anything the old process held is now older than the stored pair.
  if (!lock.lastSeen || lock.lastSeen.getTime() >= startedAt) return false;
  // No reference yet, or a new boot (whose clock may have been set anew): the pair alone decides.
  if (lock.lastTs === 0 || message.boot !== lock.lastBoot) return false;
  const lastSeen = lock.lastSeen.getTime();
  const sentAt = message.ts * 1000 + (lastSeen - lock.lastTs * 1000); // on our clock
  // Before the stored status: not a lost heartbeat (those came later) but a clock set back; freshness decides.
  if (sentAt < lastSeen - TS_RESOLUTION_MS) return false;
  return sentAt < startedAt - TS_RESOLUTION_MS;
}
