import { describe, expect, it } from 'vitest';
import { resultAfterChange, type LockSnapshot } from './command-freshness';

const locked: LockSnapshot = { status: 'LOCKED', state: 'AVAILABLE', online: true };
const unlocked: LockSnapshot = { status: 'UNLOCKED', state: 'AVAILABLE', online: true };
const offline: LockSnapshot = { status: 'LOCKED', state: 'UNAVAILABLE', online: false };

describe('resultAfterChange', () => {
  it('keeps a result while the lock reports nothing new', () => {
    expect(resultAfterChange({ action: 'UNLOCK', state: 'SUCCEEDED' }, unlocked, { ...unlocked })).toBe('keep');
    expect(resultAfterChange({ action: 'LOCK', state: 'TIMED_OUT' }, offline, { ...offline })).toBe('keep');
  });

  it('keeps a confirmed result when the confirming status arrives after it', () => {
    expect(resultAfterChange({ action: 'UNLOCK', state: 'SUCCEEDED' }, locked, unlocked)).toBe('confirm');
    expect(resultAfterChange({ action: 'LOCK', state: 'SUCCEEDED' }, unlocked, locked)).toBe('confirm');
  });

  it('gives way when the lock reports a state the result contradicts ("LOCKED" after "Unlocked — confirmed")', () => {
    expect(resultAfterChange({ action: 'UNLOCK', state: 'SUCCEEDED' }, unlocked, locked)).toBe('superseded');
    expect(resultAfterChange({ action: 'LOCK', state: 'SUCCEEDED' }, locked, { ...locked, status: 'JAMMED' })).toBe('superseded');
    expect(resultAfterChange({ action: 'UNLOCK', state: 'SUCCEEDED' }, unlocked, { ...unlocked, state: 'UNAVAILABLE', online: false })).toBe('superseded');
  });

  it('gives way when the lock comes back after "Timed out", or changes after a rejection or failure', () => {
    expect(resultAfterChange({ action: 'UNLOCK', state: 'TIMED_OUT' }, offline, locked)).toBe('superseded');
    expect(resultAfterChange({ action: 'UNLOCK', state: 'REJECTED' }, locked, unlocked)).toBe('superseded');
    expect(resultAfterChange({ action: 'LOCK', state: 'FAILED' }, unlocked, locked)).toBe('superseded');
  });
});
