import { describe, expect, it } from 'vitest';
import type { LockRecord } from '../store/records.js';
import { withChangeTime } from './status-changes.js';

const at = new Date('2026-01-01T12:00:00Z');
const row = {
  status: 'LOCKED',
  lastChangeSource: 'REMOTE',
  lastChangedBy: 'c-1',
} as const satisfies Partial<LockRecord>;
// Only the fields withChangeTime reads; the rest of a row does not matter here.
const lock = row as unknown as LockRecord;

describe('withChangeTime', () => {
  it('stamps a bolt that moved, or the same bolt moved by someone else', () => {
    expect(withChangeTime(lock, { status: 'UNLOCKED', boltMotion: null, lastChangeSource: 'REMOTE', lastChangedBy: 'c-1', lastSeen: at })).toMatchObject({ lastChangedAt: at });
    expect(withChangeTime(lock, { status: 'LOCKED', boltMotion: null, lastChangeSource: 'MANUAL', lastChangedBy: null, lastSeen: at })).toMatchObject({ lastChangedAt: at });
    expect(withChangeTime(lock, { status: 'LOCKED', boltMotion: null, lastChangeSource: 'REMOTE', lastChangedBy: 'c-2', lastSeen: at })).toMatchObject({ lastChangedAt: at });
    expect(withChangeTime({ ...lock, lastChangeSource: null, lastChangedBy: null }, { status: 'UNLOCKED', lastSeen: at })).toMatchObject({ lastChangedAt: at }); // v1
  });

  it('leaves a heartbeat, a door change and a bolt still in motion unstamped', () => {
    expect(withChangeTime(lock, { status: 'LOCKED', boltMotion: null, lastChangeSource: 'REMOTE', lastChangedBy: 'c-1', lastSeen: at })).not.toHaveProperty('lastChangedAt');
    expect(withChangeTime(lock, { status: 'LOCKED', door: 'OPEN', lastChangeSource: 'REMOTE', lastChangedBy: 'c-1', lastSeen: at })).not.toHaveProperty('lastChangedAt');
    expect(withChangeTime(lock, { boltMotion: 'UNLOCKING', lastChangeSource: 'REMOTE', lastChangedBy: 'c-2', lastSeen: at })).not.toHaveProperty('lastChangedAt');
    expect(withChangeTime(lock, { status: 'UNLOCKED', lastSeen: at })).toMatchObject({ lastChangedAt: at });
  });
});
