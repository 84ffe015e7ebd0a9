import type { Lock } from '../lib/locks-store';

/** A lock as the app holds it: LOCKED, online, nothing else known; `overrides` say what differs. */
export function aLock(overrides: Partial<Lock> = {}): Lock {
  return {
    deviceId: 'front',
    name: 'Front door',
    status: 'LOCKED',
    state: 'AVAILABLE',
    online: true,
    lastSeen: null,
    battery: null,
    power: null,
    heartbeatSeconds: 9,
    lowBattery: false,
    issue: null,
    rssi: null,
    firmware: null,
    door: null,
    boltMotion: null,
    lastChangeSource: null,
    lastChangedBy: null,
    lastChangedAt: null,
    alerts: [],
    updatedAt: '2026-01-01T00:00:00.000Z',
    owner: { username: 'alice' },
    myRole: 'OWNER',
    timeZone: 'UTC',
    myShare: null,
    ...overrides,
  };
}
