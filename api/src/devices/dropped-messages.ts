/**
 * Malformed, forged, replayed or misrouted messages are dropped, counted and
 * logged — never trusted. Logs and audit entries are rate-limited per device
 * and reason so a flood cannot flood the log or the audit trail.
 */
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Metrics } from '../observability/metrics.js';

const REPORT_EVERY_MS = 60_000;

export type DropReason =
  | 'unknown_topic'
  | 'unknown_device'
  | 'too_large_or_not_utf8'
  | 'bad_signature'
  | 'malformed'
  | 'wrong_device'
  | 'wrong_type'
  | 'bad_version'
  | 'replay'
  | 'stale'
  /** A v2 status from a lock whose stored version is not 2 (it never said hello). */
  | 'not_negotiated'
  | 'bad_availability';

export type DropListener = (reason: DropReason, deviceId: string) => void;

export class DroppedMessages {
  private readonly lastReport = new Map<string, { at: number; suppressed: number }>();
  private readonly listeners: DropListener[] = [];

  constructor(
    private readonly metrics: Metrics,
    private readonly audit: AuditService,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Hears every drop of a known lock's message, before rate limiting (alerts count bursts). */
  listen(listener: DropListener): void {
    this.listeners.push(listener);
  }

  drop(reason: DropReason, deviceId: string | null, owner: string | null, detail?: string): void {
    this.metrics.mqttDropped.inc({ reason });
    if (deviceId && reason !== 'unknown_device') for (const listener of this.listeners) listener(reason, deviceId);
    const key = `${deviceId ?? '?'}:${reason}`;
    const now = this.now();
    const last = this.lastReport.get(key);
    if (last && now - last.at < REPORT_EVERY_MS) {
      last.suppressed += 1;
      return;
    }
    const suppressed = last?.suppressed ?? 0;
    if (this.lastReport.size > 50_000) this.lastReport.clear();
    this.lastReport.set(key, { at: now, suppressed: 0 });
    this.log.warn({ deviceId, reason, detail, suppressed }, 'dropped an MQTT message');
    if (deviceId && reason !== 'unknown_device') {
      void this.audit.record(
        { actor: null, action: 'lock.messageDropped', deviceId, result: reason, detail: suppressed ? `${detail ?? ''} (+${suppressed} more)`.trim() : (detail ?? null) },
        owner,
      );
    }
  }
}
