import type { LockAlert, LockRecord } from '../store/records.js';

/**
 * Where raised alerts go beyond the lock itself. Push notifications (a later
 * issue) implement this; it is called once per raised alert, by the one
 * replica whose write raised it.
 */
export interface AlertNotifier {
  raised(lock: LockRecord, alert: LockAlert): Promise<void>;
}

export const noNotifier: AlertNotifier = { raised: () => Promise.resolve() };
