/**
 * Which readings become history. A heartbeat every 9 s from 10,000 locks would be ~100 million
 * rows a day: a point is kept at most once per interval per lock, plus every change a chart must
 * not miss (online ↔ offline, battery band, a reboot).
 */
import { batteryBand } from '../devices/status-changes.js';
import type { DiagnosticsPoint } from '../store/records.js';

/**
 * What sampling remembers of the last point kept, one per lock that talks: no Date, no id (the map's
 * key), about a third of a point's heap.
 */
export interface LastKept {
  atMs: number;
  online: boolean;
  battery: number | null;
  boot: number | null;
}

export const lastKept = (point: DiagnosticsPoint): LastKept => ({ atMs: point.at.getTime(), online: point.online, battery: point.battery, boot: point.boot });

export function worthKeeping(last: LastKept | DiagnosticsPoint | undefined, next: DiagnosticsPoint, everyMs: number): boolean {
  if (!last) return true;
  if (last.online !== next.online) return true;
  // Still offline: an offline point carries nothing new.
  if (!next.online) return false;
  if (batteryBand(last.battery) !== batteryBand(next.battery)) return true;
  if (next.boot !== null && last.boot !== next.boot) return true;
  return next.at.getTime() - ('atMs' in last ? last.atMs : last.at.getTime()) >= everyMs;
}

/** What a lock reports about itself in a status (docs/protocol.md §5). */
export interface StatusReading {
  boot: number;
  battery?: number;
  rssi?: number;
  uptime?: number;
}

export function onlinePoint(deviceId: string, status: StatusReading, at: Date): DiagnosticsPoint {
  return { deviceId, at, online: true, battery: status.battery ?? null, rssi: status.rssi ?? null, uptime: status.uptime ?? null, boot: status.boot };
}

export function offlinePoint(deviceId: string, at: Date): DiagnosticsPoint {
  return { deviceId, at, online: false, battery: null, rssi: null, uptime: null, boot: null };
}
