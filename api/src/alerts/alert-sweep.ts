/**
 * The time-based half of alerts (door ajar, left unlocked, a bad-signature
 * alert running out), evaluated by the periodic sweep that already runs once
 * per interval across replicas (offline/, BullMQ). Replica safety does not
 * rest on that alone: a sweep overlapping another replica's (a job handed
 * over after a stall, or a status arriving meanwhile) changes a lock's alerts
 * only through LockAlerts' compare-and-set, so each raise or clear is written,
 * audited and announced once, and evaluating a lock twice is a no-op.
 */
import type { Store } from '../store/ports.js';
import type { LockAlerts } from './lock-alerts.js';

const BATCH = 500;

export function createAlertSweep(deps: { store: Store; alerts: LockAlerts; now?: () => number }): () => Promise<void> {
  const now = deps.now ?? Date.now;
  return async () => {
    const at = new Date(now());
    let after = '';
    for (;;) {
      const batch = await deps.store.locks.findAlertCandidates(at, after, BATCH);
      for (const lock of batch) await deps.alerts.evaluate(lock);
      if (batch.length < BATCH) return;
      after = batch[batch.length - 1]?.deviceId ?? after;
    }
  };
}
