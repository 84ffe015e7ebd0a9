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
  log: Logger;
  now?: () => number;
}

export function createOfflineSweep(deps: OfflineSweepDeps): Sweep {
  const now = deps.now ?? Date.now;
  return async () => {
    await deps.flushHeartbeats();
    const before = new Date(now() - deps.offlineAfterMs);
    let marked = 0;
    for (;;) {
      const due = await deps.store.locks.findStale(before, BATCH);
      for (const lock of due) {
        const updated = await deps.store.locks.markUnavailableIfStale(lock.deviceId, before, NO_HEARTBEAT);
        if (!updated) continue; // a fresh status or another replica got there first
        marked += 1;
        await deps.audit.record({ actor: null, action: 'lock.offline', deviceId: lock.deviceId, result: 'UNAVAILABLE', detail: NO_HEARTBEAT }, updated.owner);
        deps.events.publish('lock.changed', updated);
      }
      if (due.length < BATCH) break;
    }
    const expired = await deps.commands.expireOverdue();
    if (marked > 0 || expired > 0) deps.log.info({ marked, expired }, 'offline sweep');
  };
}
