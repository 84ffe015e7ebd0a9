/**
 * A lock that logs in under another lock's device id as its MQTT client id is
 * refused by the broker (it would hold or take over that lock's session). This
 * tells the victim's owner: an audit entry on the victim lock, at most one per
 * pair of locks a minute so a reconnect loop cannot flood the audit trail.
 */
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import { OncePerKey } from '../observability/once-per-key.js';
import type { Store } from '../store/ports.js';

const REPORT_EVERY_MS = 60_000;

export class ClientIdClaims {
  private readonly reports: OncePerKey;

  constructor(
    private readonly deps: { store: Store; audit: AuditService; log: Logger; now?: () => number },
  ) {
    this.reports = new OncePerKey(REPORT_EVERY_MS, deps.now);
  }

  /** Never throws: the broker calls it on its refusal path. */
  report(claimedId: string, byDeviceId: string): void {
    if (!this.reports.take(`${claimedId}\u0000${byDeviceId}`)) return;
    void this.audit(claimedId, byDeviceId).catch((error: unknown) => this.deps.log.error({ err: error, claimedId, byDeviceId }, 'could not audit a client id claim'));
  }

  private async audit(claimedId: string, byDeviceId: string): Promise<void> {
    const victim = await this.deps.store.locks.findByDeviceId(claimedId);
    if (!victim) return; // not a registered lock's id: the log line is all there is to say
    await this.deps.audit.record(
      { actor: null, action: 'lock.clientIdClaimed', deviceId: claimedId, result: 'refused', detail: `lock ${byDeviceId} tried to log in with this lock's client id` },
      victim.owner,
    );
  }
}
