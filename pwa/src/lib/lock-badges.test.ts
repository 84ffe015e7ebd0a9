import { describe, expect, it } from 'vitest';
import { availabilityBadge, batteryBadge, issueBadge, statusBadge } from './lock-badges';

describe('lock badges', () => {
  it('shows the battery percentage, louder when low', () => {
    expect(batteryBadge(80)).toEqual({ text: 'Battery 80%', tone: 'ok' });
    expect(batteryBadge(20)).toEqual({ text: 'Battery 20%', tone: 'warn' });
    expect(batteryBadge(5)).toEqual({ text: 'Battery 5%', tone: 'bad' });
    expect(batteryBadge(60, 'LOW')).toEqual({ text: 'Battery 60%', tone: 'bad' });
  });

  it('shows no battery badge without a reading', () => {
    expect(batteryBadge(null)).toBeNull();
    expect(batteryBadge(undefined, 'MAINS')).toBeNull();
    expect(batteryBadge(null, 'LOW')).toEqual({ text: 'Battery low', tone: 'bad' });
  });

  it('shows the issue in the lock\'s words, or nothing', () => {
    expect(issueBadge('No heartbeat')).toEqual({ text: 'No heartbeat', tone: 'bad' });
    expect(issueBadge('Motor jammed')?.text).toBe('Motor jammed');
    expect(issueBadge(null)).toBeNull();
    expect(issueBadge('  ')).toBeNull();
  });

  it('names status and availability exactly', () => {
    expect(['LOCKED', 'UNLOCKED', 'JAMMED', 'UNKNOWN'].map((s) => statusBadge(s as 'LOCKED').text)).toEqual(['LOCKED', 'UNLOCKED', 'JAMMED', 'UNKNOWN']);
    expect(availabilityBadge('AVAILABLE').text).toBe('Online');
    expect(availabilityBadge('UNAVAILABLE').text).toBe('Offline');
  });
});
