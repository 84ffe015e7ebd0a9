import { describe, expect, it } from 'vitest';
import { commandText, isFinal, progressText } from './command-display';

describe('commandText', () => {
  it('shows progress while SENT', () => {
    expect(commandText('UNLOCK', 'SENT', null)).toBe('Unlocking…');
    expect(commandText('LOCK', 'SENT', null)).toBe('Locking…');
    expect(progressText('UNLOCK')).toBe('Unlocking…');
  });

  it('confirms SUCCEEDED per action', () => {
    expect(commandText('UNLOCK', 'SUCCEEDED', null)).toBe('Unlocked — confirmed');
    expect(commandText('LOCK', 'SUCCEEDED', null)).toBe('Locked — confirmed');
  });

  it('gives the reason of REJECTED and FAILED in words', () => {
    expect(commandText('UNLOCK', 'REJECTED', 'stale')).toBe("Rejected: the lock's clock is off");
    expect(commandText('LOCK', 'REJECTED', 'door_open')).toBe('Rejected: the door is open');
    expect(commandText('LOCK', 'FAILED', 'jammed')).toBe('Failed: motor jammed');
    expect(commandText('LOCK', 'FAILED', null)).toBe('Failed: no reason given');
  });

  it('explains TIMED_OUT', () => {
    expect(commandText('UNLOCK', 'TIMED_OUT', 'timeout')).toBe('Timed out — the lock did not answer');
  });

  it('explains SUPERSEDED without the internal command id', () => {
    expect(commandText('UNLOCK', 'SUPERSEDED', 'superseded by 0b6c…')).toBe('Replaced by a newer request');
  });

  it('knows which states are final', () => {
    expect(isFinal('SENT')).toBe(false);
    for (const state of ['SUCCEEDED', 'REJECTED', 'FAILED', 'TIMED_OUT', 'SUPERSEDED'] as const) expect(isFinal(state)).toBe(true);
  });
});
