/**
 * Raises and clears a lock's alerts. Each change is a compare-and-set of the
 * stored list (LockRepository.replaceAlerts) from the row it was computed
 * from, so among replicas, sweeps and status handlers evaluating one lock at
 * once exactly one write succeeds per change; only that writer audits,
 * announces `lock.changed` and notifies. The losers re-read and re-evaluate,
 * and find nothing left to do (rules are pure: alert-rules.ts).
 */
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import type { EventBus } from '../events/events.js';
import type { Store } from '../store/ports.js';
import type { LockRecord } from '../store/records.js';
import { noNotifier, type AlertNotifier } from './alert-notifier.js';
import { ALERT_TEXT, desiredAlerts, sameAlerts } from './alert-rules.js';

export interface LockAlertsDeps {
  store: Store;
  audit: AuditService;
  events: EventBus;
  log: Logger;
  badSignatureWindowMs: number;
  notifier?: AlertNotifier;
  now?: () => number;
}

const ATTEMPTS = 3;

export class LockAlerts {
  private readonly now: () => number;
  private readonly notifier: AlertNotifier;

  constructor(private readonly deps: LockAlertsDeps) {
    this.now = deps.now ?? Date.now;
    this.notifier = deps.notifier ?? noNotifier;
  }

  /** Brings `lock`'s alerts in line with its row now. Returns the row as stored afterwards. */
  async evaluate(lock: LockRecord, options: { badSignatureBurst?: boolean } = {}): Promise<LockRecord> {
    let current: LockRecord | null = lock;
    for (let attempt = 0; attempt < ATTEMPTS && current; attempt += 1) {
      const now = this.now();
      const next = desiredAlerts(current, { now, badSignatureWindowMs: this.deps.badSignatureWindowMs, ...options });
      if (sameAlerts(current.alerts, next)) return current;
      const updated = await this.deps.store.locks.replaceAlerts(current.deviceId, current.alerts, next);
      if (updated) {
        await this.announce(current, updated);
        return updated;
      }
      // Someone else changed the alerts (or the row we had was old): judge the stored row instead.
      current = await this.deps.store.locks.findByDeviceId(lock.deviceId);
    }
    return current ?? lock;
  }

  private async announce(before: LockRecord, after: LockRecord): Promise<void> {
    const { audit, events, log } = this.deps;
    const kindsBefore = new Set(before.alerts.map((alert) => alert.kind));
    const kindsAfter = new Set(after.alerts.map((alert) => alert.kind));
    const raised = after.alerts.filter((alert) => !kindsBefore.has(alert.kind));
    const cleared = before.alerts.filter((alert) => !kindsAfter.has(alert.kind));
    if (raised.length === 0 && cleared.length === 0) return; // only re-dated
    events.publish('lock.changed', after);
    const { deviceId, owner } = after;
    for (const alert of raised) {
      await audit.record({ actor: null, action: 'lock.alertRaised', deviceId, result: alert.kind, detail: ALERT_TEXT[alert.kind] }, owner);
      await this.notifier.raised(after, alert).catch((err: unknown) => log.warn({ err, deviceId, kind: alert.kind }, 'alert notification failed'));
    }
    for (const alert of cleared) {
      await audit.record({ actor: null, action: 'lock.alertCleared', deviceId, result: alert.kind, detail: ALERT_TEXT[alert.kind] }, owner);
    }
  }
}
