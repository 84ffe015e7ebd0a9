import { describe, expect, it } from 'vitest';
import { lastKept, offlinePoint, onlinePoint, worthKeeping } from './sampling.js';

const T0 = Date.UTC(2025, 0, 1);
const MIN = 60_000;
const EVERY = 10 * MIN;
const online = (offsetMs: number, battery = 80, boot = 1) => onlinePoint('d1', { boot, battery, rssi: -60, uptime: 5 }, new Date(T0 + offsetMs));

describe('diagnostics sampling', () => {
  it('keeps the first point of a lock', () => {
    expect(worthKeeping(undefined, online(0), EVERY)).toBe(true);
  });

  it('keeps at most one point per interval while nothing changes', () => {
    expect(worthKeeping(online(0), online(9 * MIN), EVERY)).toBe(false);
    expect(worthKeeping(online(0), online(10 * MIN), EVERY)).toBe(true);
    // The same from what the recorder remembers of the point kept.
    expect(worthKeeping(lastKept(online(0)), online(9 * MIN), EVERY)).toBe(false);
    expect(worthKeeping(lastKept(online(0)), online(10 * MIN), EVERY)).toBe(true);
    expect(worthKeeping(lastKept(online(0, 80, 1)), online(1000, 80, 2), EVERY)).toBe(true);
  });

  it('keeps every change of availability, battery band and boot at once', () => {
    expect(worthKeeping(online(0), offlinePoint('d1', new Date(T0 + 1000)), EVERY)).toBe(true);
    expect(worthKeeping(offlinePoint('d1', new Date(T0)), online(1000), EVERY)).toBe(true);
    expect(worthKeeping(online(0, 26), online(1000, 25), EVERY)).toBe(true);
    expect(worthKeeping(online(0, 80), online(1000, 79), EVERY)).toBe(false);
    expect(worthKeeping(online(0, 80, 1), online(1000, 80, 2), EVERY)).toBe(true);
  });

  it('does not repeat an offline point, however long the lock stays away', () => {
    expect(worthKeeping(offlinePoint('d1', new Date(T0)), offlinePoint('d1', new Date(T0 + 60 * MIN)), EVERY)).toBe(false);
  });

  it('takes the readings of a status and knows nothing while offline', () => {
    expect(onlinePoint('d1', { boot: 3 }, new Date(T0))).toEqual({ deviceId: 'd1', at: new Date(T0), online: true, battery: null, rssi: null, uptime: null, boot: 3 });
    expect(offlinePoint('d1', new Date(T0))).toMatchObject({ online: false, battery: null, rssi: null, uptime: null });
  });
});
