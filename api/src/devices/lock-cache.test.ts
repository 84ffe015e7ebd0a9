import { describe, expect, it } from 'vitest';
import type { LockRecord } from '../store/records.js';
import { LockCache } from './lock-cache.js';

const lock = (overrides: Partial<LockRecord> = {}): LockRecord => ({
  deviceId: 'front-1',
  name: 'Haustür',
  owner: 'alice',
  status: 'LOCKED',
  state: 'AVAILABLE',
  lastSeen: new Date(1_000),
  issue: null,
  battery: 90,
  power: 'BATTERY',
  heartbeatS: null,
  rssi: -60,
  firmware: '1.2.3',
  secretSealed: 'v2.key.iv.body.tag',
  commandCounter: 7,
  lastBoot: 2,
  lastSeq: 40,
  lastTs: 1_700_000_000,
  protocolVersion: 2,
  protocolBoot: 2,
  tlsRequired: false,
  rekeyId: null,
  secretPendingSealed: null,
  secretPreviousSealed: null,
  rekeyStartedAt: null,
  door: 'CLOSED',
  boltMotion: null,
  lastChangeSource: 'REMOTE',
  lastChangedBy: 'c-1',
  lastChangedAt: new Date(900),
  doorOpenSince: null,
  unlockedSince: new Date(800),
  alertDoorAjarMinutes: 10,
  alertUnlockedMinutes: null,
  alerts: [{ kind: 'DOOR_AJAR', since: new Date(700) }],
  timeZone: 'Europe/Berlin',
  createdAt: new Date(100),
  updatedAt: new Date(200),
  ...overrides,
});

describe('the ingest lock cache', () => {
  it('gives back the record it was given, dates and all', () => {
    const cache = new LockCache();
    cache.set(lock());
    cache.set(lock({ deviceId: 'back-2', lastSeen: null, lastChangedAt: null, unlockedSince: null, alerts: [] }));
    expect(cache.get('front-1')).toEqual(lock());
    expect(cache.get('back-2')).toEqual(lock({ deviceId: 'back-2', lastSeen: null, lastChangedAt: null, unlockedSince: null, alerts: [] }));
    expect(cache.get('front-1')?.lastSeen).toBeInstanceOf(Date);
    expect(cache.size).toBe(2);
  });

  it('keeps its own copy: changing a record it gave out changes nothing in it', () => {
    const cache = new LockCache();
    cache.set(lock());
    const given = cache.get('front-1')!;
    given.commandCounter = 99;
    given.lastSeen!.setTime(5);
    expect(cache.get('front-1')).toMatchObject({ commandCounter: 7, lastSeen: new Date(1_000) });
    cache.set(lock({ deviceId: 'quiet-3', alerts: [] }));
    cache.get('quiet-3')!.alerts.push({ kind: 'DOOR_AJAR', since: new Date(1) });
    expect(cache.get('quiet-3')!.alerts).toEqual([]);
    expect(cache.get('front-1')!.alerts).toHaveLength(1);
  });

  it('forgets one lock, or all', () => {
    const cache = new LockCache();
    cache.set(lock());
    cache.set(lock({ deviceId: 'back-2' }));
    cache.delete('front-1');
    expect(cache.get('front-1')).toBeUndefined();
    expect(cache.get('back-2')).toBeDefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });
});

describe('LockCache.entryOf', () => {
  it('stays the same token through a heartbeat and changes when a record replaces the entry', () => {
    const cache = new LockCache();
    expect(cache.entryOf('front-1')).toBeUndefined();
    cache.set(lock());
    const token = cache.entryOf('front-1');
    expect(token).toBeDefined();
    cache.heartbeat('front-1', { lastSeen: new Date(2_000), rssi: -50, battery: 80, lastBoot: 2, lastSeq: 41, lastTs: 1_700_000_009, commandCounter: 7 });
    expect(cache.entryOf('front-1')).toBe(token);
    cache.set(lock({ commandCounter: 8 }));
    expect(cache.entryOf('front-1')).not.toBe(token);
    cache.delete('front-1');
    expect(cache.entryOf('front-1')).toBeUndefined();
  });
});

describe('LockCache.heartbeat', () => {
  it("writes a heartbeat's fields in place and leaves the rest of the row, and copies handed out before, as they were", () => {
    const cache = new LockCache();
    cache.set(lock());
    const before = cache.get('front-1');
    const fields = { lastSeen: new Date(5_000), rssi: -70, battery: 80, lastBoot: 2, lastSeq: 41, lastTs: 1_700_000_009, commandCounter: 8 };
    expect(cache.heartbeat('front-1', fields)).toBe(true);
    expect(cache.get('front-1')).toEqual({ ...lock(), ...fields });
    expect(before).toEqual(lock());
    expect(cache.sealedSecretOf('front-1')).toBe('v2.key.iv.body.tag');
  });

  it('does nothing for a lock it does not hold', () => {
    const cache = new LockCache();
    expect(cache.heartbeat('front-1', { lastSeen: null, rssi: null, battery: null, lastBoot: 1, lastSeq: 1, lastTs: 0, commandCounter: 0 })).toBe(false);
    expect(cache.get('front-1')).toBeUndefined();
    expect(cache.sealedSecretOf('front-1')).toBeUndefined();
  });
});
