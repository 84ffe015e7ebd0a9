import { describe, expect, it } from 'vitest';
import { formatLockTime, instantToZonedLocal, zonedLocalToInstant } from './zoned-time';

const at = (iso: string) => Date.parse(iso);

describe('zonedLocalToInstant', () => {
  it('reads a typed time in the lock zone, on either side of a daylight-saving change', () => {
    // Berlin: CET (UTC+1) on Saturday 28 March 2026, CEST (UTC+2) from Sunday 29 March 03:00.
    expect(zonedLocalToInstant('2026-03-28T08:00', 'Europe/Berlin')).toBe(at('2026-03-28T07:00:00Z'));
    expect(zonedLocalToInstant('2026-03-29T08:00', 'Europe/Berlin')).toBe(at('2026-03-29T06:00:00Z'));
    expect(zonedLocalToInstant('2026-12-01T09:00', 'America/New_York')).toBe(at('2026-12-01T14:00:00Z'));
    expect(zonedLocalToInstant('2026-12-01T09:00', 'UTC')).toBe(at('2026-12-01T09:00:00Z'));
  });

  it('moves a skipped time an hour on and takes the first of a repeated one', () => {
    expect(zonedLocalToInstant('2026-03-29T02:30', 'Europe/Berlin')).toBe(at('2026-03-29T01:30:00Z')); // 03:30 CEST
    expect(zonedLocalToInstant('2026-10-25T02:30', 'Europe/Berlin')).toBe(at('2026-10-25T00:30:00Z')); // the CEST one
  });

  it('refuses what is not a date and time', () => {
    expect(zonedLocalToInstant('', 'UTC')).toBeNull();
    expect(zonedLocalToInstant('2026-02-31T08:00', 'UTC')).toBeNull();
    expect(zonedLocalToInstant('2026-13-01T08:00', 'UTC')).toBeNull();
    expect(zonedLocalToInstant('tomorrow', 'UTC')).toBeNull();
  });

  it('gives back what it read', () => {
    for (const local of ['2026-03-29T08:00', '2026-10-25T01:15', '2026-07-04T23:59']) {
      expect(instantToZonedLocal(zonedLocalToInstant(local, 'Europe/Berlin') ?? 0, 'Europe/Berlin')).toBe(local);
    }
  });
});

describe('formatLockTime', () => {
  const now = at('2026-11-30T12:00:00Z'); // a Monday

  it('says the weekday within the coming week and the date later, in the lock zone', () => {
    expect(formatLockTime(at('2026-12-04T18:00:00Z'), 'UTC', now, 'UTC')).toBe('Fri 18:00');
    expect(formatLockTime(at('2026-12-24T18:00:00Z'), 'UTC', now, 'UTC')).toBe('24 Dec 18:00');
    expect(formatLockTime(at('2027-01-02T08:00:00Z'), 'UTC', now, 'UTC')).toBe('2 Jan 2027 08:00');
    // Friday 17:00 UTC is already Saturday 04:00 in Sydney.
    expect(formatLockTime(at('2026-12-04T17:00:00Z'), 'Australia/Sydney', now, 'Australia/Sydney')).toBe('Sat 04:00');
  });

  it("names the lock's zone only when the device is elsewhere", () => {
    expect(formatLockTime(at('2026-12-04T17:00:00Z'), 'Europe/Paris', now, 'Europe/Paris')).toBe('Fri 18:00');
    expect(formatLockTime(at('2026-12-04T17:00:00Z'), 'Europe/Paris', now, 'America/New_York')).toBe('Fri 18:00 (Europe/Paris)');
  });

  it('shows the same wall-clock hour on both sides of a daylight-saving change', () => {
    const sunday = at('2026-03-27T12:00:00Z');
    expect(formatLockTime(at('2026-03-28T07:00:00Z'), 'Europe/Berlin', sunday, 'Europe/Berlin')).toBe('Sat 08:00');
    expect(formatLockTime(at('2026-03-29T06:00:00Z'), 'Europe/Berlin', sunday, 'Europe/Berlin')).toBe('Sun 08:00');
  });
});
