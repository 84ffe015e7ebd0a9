import { describe, expect, it } from 'vitest';
import { firmwareText, isUpdating, parseStages } from './firmware-display';

describe('firmware in words', () => {
  it('shows the running version, an update under way, and how one ended', () => {
    expect(firmwareText('2.0.0', null)).toBe('2.0.0');
    expect(firmwareText(null, undefined)).toBe('Unknown');
    expect(firmwareText('2.0.0', { releaseVersion: '2.1.0', state: 'DOWNLOADING' })).toBe('2.0.0 · updating to 2.1.0…');
    expect(firmwareText('2.1.0', { releaseVersion: '2.1.0', state: 'TRIAL' })).toBe('2.1.0 · updating to 2.1.0…');
    expect(firmwareText('2.1.0', { releaseVersion: '2.1.0', state: 'CONFIRMED' })).toBe('2.1.0');
    expect(firmwareText('2.0.0', { releaseVersion: '2.1.0', state: 'ROLLED_BACK', reason: 'no_welcome' })).toBe(
      '2.0.0 · rolled back from 2.1.0: the new firmware could not reach the server',
    );
    expect(firmwareText('2.0.0', { releaseVersion: '2.1.0', state: 'FAILED', reason: 'bad_hash' })).toBe('2.0.0 · update to 2.1.0 failed: the image was damaged');
    expect(firmwareText('2.0.0', { releaseVersion: '2.1.0', state: 'FAILED', reason: 'something_new' })).toBe('2.0.0 · update to 2.1.0 failed: something new');
    expect(firmwareText('2.0.0', { releaseVersion: '2.1.0', state: 'TIMED_OUT' })).toBe('2.0.0 · update to 2.1.0 timed out');
    expect(isUpdating({ releaseVersion: '2.1.0', state: 'SENT' })).toBe(true);
    expect(isUpdating({ releaseVersion: '2.1.0', state: 'FAILED', reason: 'busy' })).toBe(false);
  });

  it('reads stages typed by an admin', () => {
    expect(parseStages('1, 10, 50, 100')).toEqual([1, 10, 50, 100]);
    expect(parseStages('10 50 100')).toEqual([10, 50, 100]);
    expect(parseStages('')).toBeNull();
    expect(parseStages('10, half')).toBeNull();
    expect(parseStages('-5, 100')).toBeNull();
  });
});
