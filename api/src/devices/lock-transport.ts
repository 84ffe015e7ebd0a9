/**
 * Moving installed locks to TLS without breaking them (issue 11 item 3; docs/protocol.md §12.2).
 * The embedded broker keeps its plain listener; a lock's first login over TLS sets its
 * `tlsRequired`, and from then on its plain logins are refused: someone who learned the lock's
 * password on the wire cannot use it on the plain port. `MQTT_REQUIRE_TLS` refuses every lock's
 * plain login. Refusals are audited on the lock (its owner sees them), at most once per lock per
 * REPORT_EVERY_MS so a reconnect loop cannot flood the trail.
 */
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import { OncePerKey } from '../observability/once-per-key.js';
import type { Store } from '../store/ports.js';

const REPORT_EVERY_MS = 10 * 60_000;
const LISTED_AT_START = 50;

export interface LockTransportDeps {
  store: Store;
  audit: AuditService;
  log: Logger;
  /** MQTT_REQUIRE_TLS: plain logins are refused for every lock. */
  requireTls: boolean;
  now?: () => number;
}

export class LockTransport {
  private readonly refusalReports: OncePerKey;

  constructor(private readonly deps: LockTransportDeps) {
    this.refusalReports = new OncePerKey(REPORT_EVERY_MS, deps.now);
  }

  /** After the password was verified: may this lock log in over this transport? */
  async admit(deviceId: string, overTls: boolean): Promise<boolean> {
    const lock = await this.deps.store.locks.findByDeviceId(deviceId);
    if (!lock) return false;
    if (overTls) {
      if (!lock.tlsRequired) {
        await this.deps.store.locks.update(deviceId, { tlsRequired: true });
        await this.deps.audit.record(
          { actor: null, action: 'lock.tlsRequired', deviceId, result: 'ok', detail: 'first login over TLS: plain MQTT logins are refused for this lock from now on' },
          lock.owner,
        );
        this.deps.log.info({ deviceId }, 'lock moved to TLS: its plain logins are refused from now on');
      }
      return true;
    }
    if (!lock.tlsRequired && !this.deps.requireTls) return true;
    this.reportRefusal(deviceId, lock.owner, lock.tlsRequired ? 'this lock has logged in over TLS before' : 'MQTT_REQUIRE_TLS is set');
    return false;
  }

  /** At start-up: which locks may still use plain MQTT (never logged in over TLS), so whoever runs it knows who is left. */
  async logStillPlain(): Promise<string[]> {
    const plain = (await this.deps.store.locks.listAll()).filter((lock) => !lock.tlsRequired).map((lock) => lock.deviceId);
    if (plain.length === 0) return plain;
    const shown = plain.slice(0, LISTED_AT_START);
    const more = plain.length > shown.length ? ` (the first ${shown.length} listed)` : '';
    const refused = this.deps.requireTls ? 'their plain logins are refused (MQTT_REQUIRE_TLS)' : 'they may still use plain MQTT';
    this.deps.log.warn({ count: plain.length, deviceIds: shown }, `${plain.length} lock(s) have never logged in over TLS: ${refused}${more}`);
    return plain;
  }

  private reportRefusal(deviceId: string, owner: string, why: string): void {
    if (!this.refusalReports.take(deviceId)) return;
    this.deps.log.warn({ deviceId }, `refused a plain MQTT login: ${why}`);
    void this.deps.audit
      .record({ actor: null, action: 'lock.plainLoginRefused', deviceId, result: 'refused', detail: `a login without TLS was refused (${why}); a lock that lost its TLS settings must be set up for TLS again` }, owner)
      .catch((error: unknown) => this.deps.log.error({ err: error, deviceId }, 'could not audit a refused plain login'));
  }
}
