import { describe, expect, it } from 'vitest';
import { boltBadge, doorBadge, lastChangeText, type DoorFacts } from './door-display';

const v1: DoorFacts = { status: 'LOCKED', door: null, boltMotion: null, lastChangeSource: null, lastChangedBy: null };
const v2: DoorFacts = { status: 'LOCKED', door: 'CLOSED', boltMotion: null, lastChangeSource: 'MANUAL', lastChangedBy: null };
const NOW = Date.parse('2025-01-01T12:00:00Z');

describe('doorBadge', () => {
  it('makes an open door alarming, a closed one calm and a missing sensor plain', () => {
    expect(doorBadge('OPEN')).toEqual({ text: 'Door open', tone: 'bad' });
    expect(doorBadge('CLOSED')).toEqual({ text: 'Door closed', tone: 'ok' });
    expect(doorBadge('UNKNOWN')).toEqual({ text: 'No door sensor', tone: 'info' });
  });

  it('says nothing for a v1 lock', () => {
    expect(doorBadge(null)).toBeNull();
    expect(doorBadge(undefined)).toBeNull();
  });
});

describe('boltBadge', () => {
  it('keeps the v1 badges unchanged', () => {
    expect(boltBadge(v1)).toEqual({ text: 'LOCKED', tone: 'ok' });
    expect(boltBadge({ ...v1, status: 'UNLOCKED' })).toEqual({ text: 'UNLOCKED', tone: 'warn' });
  });

  it('shows the bolt on its way', () => {
    expect(boltBadge({ ...v2, status: 'UNLOCKED', boltMotion: 'LOCKING' })).toEqual({ text: 'Locking…', tone: 'info' });
    expect(boltBadge({ ...v2, boltMotion: 'UNLOCKING' })).toEqual({ text: 'Unlocking…', tone: 'info' });
  });

  it('does not let a locked bolt in an open door look like a safe locked door', () => {
    const badge = boltBadge({ ...v2, door: 'OPEN' });
    expect(badge).toEqual({ text: 'LOCKED · door open', tone: 'bad' });
    expect(badge).not.toEqual(boltBadge(v2));
    expect(boltBadge({ ...v2, status: 'UNLOCKED', door: 'OPEN' })).toEqual({ text: 'UNLOCKED', tone: 'warn' });
  });
});

describe('lastChangeText', () => {
  it('names what moved the bolt', () => {
    expect(lastChangeText(v2)).toBe('Locked by hand');
    expect(lastChangeText({ ...v2, status: 'UNLOCKED', lastChangeSource: 'REMOTE', lastChangedBy: 'alice' })).toBe('Unlocked by alice');
    expect(lastChangeText({ ...v2, lastChangeSource: 'REMOTE' })).toBe('Locked remotely');
    expect(lastChangeText({ ...v2, lastChangeSource: 'AUTO' })).toBe('Locked automatically');
    expect(lastChangeText({ ...v2, status: 'UNLOCKED', lastChangeSource: 'BLE' })).toBe('Unlocked by Bluetooth');
    expect(lastChangeText({ ...v2, lastChangeSource: 'BOOT' })).toBe('Locked at start-up');
  });

  it('adds how long ago when the time of the change is known', () => {
    expect(lastChangeText(v2, new Date(NOW - 125_000).toISOString(), NOW)).toBe('Locked by hand · 2 min ago');
  });

  it('says nothing for a v1 lock, a moving bolt, or a jammed or unknown one', () => {
    expect(lastChangeText(v1)).toBeNull();
    expect(lastChangeText({ ...v2, boltMotion: 'UNLOCKING' })).toBeNull();
    expect(lastChangeText({ ...v2, status: 'JAMMED' })).toBeNull();
    expect(lastChangeText({ ...v2, status: 'UNKNOWN' })).toBeNull();
  });
});
