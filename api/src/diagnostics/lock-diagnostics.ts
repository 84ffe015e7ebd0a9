/** A lock's diagnostics as the lock page shows them: the history of a range and the readings now. */
import type { DiagnosticsPoint, LockRecord } from '../store/records.js';

export type DiagnosticsRange = 'DAY' | 'WEEK';
export const RANGE_MS: Record<DiagnosticsRange, number> = { DAY: 24 * 3_600_000, WEEK: 7 * 24 * 3_600_000 };
/** A week at one point per 10 minutes is ~1,000; changes add some. More are cut, oldest first. */
export const MAX_POINTS = 5000;

export interface LockDiagnosticsView {
  range: DiagnosticsRange;
  from: Date;
  to: Date;
  points: DiagnosticsPoint[];
  uptime: number | null;
  firmware: string | null;
  battery: number | null;
  rssi: number | null;
}

/**
 * Seconds since the lock's boot, now: the newest point of its current boot, carried forward to its
 * last status. Null while it is offline or never reported one.
 */
export function currentUptime(lock: Pick<LockRecord, 'state' | 'lastBoot' | 'lastSeen'>, points: readonly DiagnosticsPoint[]): number | null {
  if (lock.state !== 'AVAILABLE' || !lock.lastSeen) return null;
  const latest = points.findLast((p) => p.online && p.uptime !== null && p.boot === lock.lastBoot);
  if (!latest || latest.uptime === null) return null;
  return latest.uptime + Math.max(0, Math.floor((lock.lastSeen.getTime() - latest.at.getTime()) / 1000));
}

export function lockDiagnostics(lock: LockRecord, range: DiagnosticsRange, points: DiagnosticsPoint[], now: number): LockDiagnosticsView {
  return {
    range,
    from: new Date(now - RANGE_MS[range]),
    to: new Date(now),
    points,
    uptime: currentUptime(lock, points),
    firmware: lock.firmware,
    battery: lock.battery,
    rssi: lock.rssi,
  };
}
