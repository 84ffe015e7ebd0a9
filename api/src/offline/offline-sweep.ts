/**
 * The periodic sweep: locks with no accepted status for OFFLINE_AFTER_MS
 * become UNAVAILABLE ("No heartbeat"), and commands past their timeout end
 * TIMED_OUT. It reads only the (state, lastSeen) index for locks that are due,
 * so its cost follows the number of locks that change, not the fleet size.
 */
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CommandsService } from '../commands/commands.service.js';
import type { EventBus } from '../events/events.js';
import type { Store } from '../store/ports.js';
import type { Sweep } from './sweep-scheduler.js';

export const NO_HEARTBEAT = 'No heartbeat';
const BATCH = 500;

export interface OfflineSweepDeps {
  store: Store;
  /** Writes coalesced heartbeats first, so a lock is never judged on a stale lastSeen. */
  flushHeartbeats: () => Promise<void>;
  commands: CommandsService;
  audit: AuditService;
  events: EventBus;
  offlineAfterMs: number;
  /**
   * Tells the api's own slowness from a lock's silence. While the api is
   * overloaded it may shed heartbeats unverified or not read its socket at
   * all; that time is added to the deadline, and a lock whose heartbeats were
   * seen (though shed) within the deadline is left alone. Without it, an
   * overloaded api would declare its whole fleet offline (issue 8, B4).
   */
  liveness?: {
    graceMs(windowMs: number): number;
    seenSince(deviceId: string, since: Date): boolean;
  };
  log: Logger;
  now?: () => number;
}

export function createOfflineSweep(deps: OfflineSweepDeps): Sweep {
  const now = deps.now ?? Date.now;
  return async () => {
    await deps.flushHeartbeats();
    const graceMs = deps.liveness?.graceMs(deps.offlineAfterMs) ?? 0;
    const before = new Date(now() - deps.offlineAfterMs - graceMs);
    let marked = 0;
    let spared = 0;
    for (;;) {
      const due = await deps.store.locks.findStale(before, BATCH);
      const sparedBefore = spared;
      for (const lock of due) {
        if (deps.liveness?.seenSince(lock.deviceId, before)) {
          spared += 1;
          continue;
        }
        const updated = await deps.store.locks.markUnavailableIfStale(lock.deviceId, before, NO_HEARTBEAT);
        if (!updated) continue; // a fresh status or another replica got there first
        marked += 1;
        await deps.audit.record({ actor: null, action: 'lock.offline', deviceId: lock.deviceId, result: 'UNAVAILABLE', detail: NO_HEARTBEAT }, updated.owner);
        deps.events.publish('lock.changed', updated);
      }
      // Spared locks stay due and come back in the next batch; a batch of nothing but them
      // ends this sweep (others behind them wait for a sweep after the overload: late, not false).
      if (due.length < BATCH || spared - sparedBefore === due.length) break;
    }
    const expired = await deps.commands.expireOverdue();
    if (marked > 0 || expired > 0 || spared > 0) deps.log.info({ marked, expired, spared, graceMs }, 'offline sweep');
  };
}
