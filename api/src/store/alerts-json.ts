/** Alerts stored as one canonical JSON text, so that compare-and-set compares the stored text. */
import type { LockAlert } from './records.js';

export function alertsToJson(alerts: LockAlert[]): string {
  return JSON.stringify(alerts.map((alert) => ({ kind: alert.kind, since: alert.since.getTime() })));
}

export function alertsFromJson(text: string | null | undefined): LockAlert[] {
  if (!text) return [];
  const parsed = JSON.parse(text) as { kind: LockAlert['kind']; since: number }[];
  return parsed.map((alert) => ({ kind: alert.kind, since: new Date(alert.since) }));
}
