import { describe, expect, it } from 'vitest';
import type { DiagnosticsPoint } from '../store/records.js';
import { currentUptime } from './lock-diagnostics.js';

const T0 = Date.UTC(2025, 0, 1);
const point = (offsetS: number, uptime: number | null, boot: number | null, online = true): DiagnosticsPoint => ({
  deviceId: 'd1',
  at: new Date(T0 + offsetS * 1000),
  online,
  battery: 50,
  rssi: -60,
  uptime,
  boot,
});

describe('current uptime', () => {
  const lock = { state: 'AVAILABLE' as const, lastBoot: 2, lastSeen: new Date(T0 + 700_000) };

  it('carries the newest point of the current boot forward to the last status', () => {
    expect(currentUptime(lock, [point(0, 100, 2), point(600, 700, 2)])).toBe(800);
  });

  it('ignores points of an earlier boot and offline points', () => {
    expect(currentUptime(lock, [point(0, 100, 2), point(600, 9_999, 1), point(650, null, null, false)])).toBe(800);
    expect(currentUptime(lock, [point(600, 9_999, 1)])).toBeNull();
  });

  it('is unknown while the lock is offline', () => {
    expect(currentUptime({ ...lock, state: 'UNAVAILABLE' }, [point(600, 700, 2)])).toBeNull();
  });
});
