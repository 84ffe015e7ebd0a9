import { describe, expect, it } from 'vitest';
import { ALWAYS, evaluateAccess, type AccessRule, type WeeklySlot } from './access-rule.js';

// Daylight saving: slots are wall-clock times, so a gap shifts or swallows them and a repeated
// hour is inside them twice. Every instant is asserted exactly (offset changes are bisected).
const weekly = (...slots: WeeklySlot[]): AccessRule => ({ ...ALWAYS, weekly: slots });
const sunday = (from: string, to: string): AccessRule => weekly({ days: ['SUNDAY'], from, to });

function verdict(accessRule: AccessRule, timeZone: string, now: string) {
  const { allowed, nextAllowedAt, allowedUntil } = evaluateAccess(accessRule, timeZone, new Date(now));
  return { allowed, nextAllowedAt: nextAllowedAt?.toISOString() ?? null, allowedUntil: allowedUntil?.toISOString() ?? null };
}
const open = (until: string | null) => ({ allowed: true, nextAllowedAt: null, allowedUntil: until });
const shut = (next: string | null) => ({ allowed: false, nextAllowedAt: next, allowedUntil: null });

describe('Europe/Berlin, spring forward (2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00Z)', () => {
  const zone = 'Europe/Berlin';

  it('opens a slot that starts inside the gap at the first instant after it', () => {
    expect(verdict(sunday('02:30', '04:00'), zone, '2026-03-29T00:00:00.000Z')).toEqual(shut('2026-03-29T01:00:00.000Z'));
    expect(verdict(sunday('02:30', '04:00'), zone, '2026-03-29T00:59:59.999Z')).toEqual(shut('2026-03-29T01:00:00.000Z'));
    expect(verdict(sunday('02:30', '04:00'), zone, '2026-03-29T01:00:00.000Z')).toEqual(open('2026-03-29T02:00:00.000Z'));
  });

  it('closes a slot that ends inside the gap where the gap begins', () => {
    expect(verdict(sunday('01:00', '02:30'), zone, '2026-03-29T00:30:00.000Z')).toEqual(open('2026-03-29T01:00:00.000Z'));
    expect(verdict(sunday('01:00', '02:30'), zone, '2026-03-29T01:00:00.000Z')).toEqual(shut('2026-04-04T23:00:00.000Z'));
  });

  it('skips a week whose slot lies wholly inside the gap', () => {
    // From Sunday 22 March after its slot: 29 March has no 02:00-02:30, so 5 April it is.
    expect(verdict(sunday('02:00', '02:30'), zone, '2026-03-22T02:00:00.000Z')).toEqual(shut('2026-04-05T00:00:00.000Z'));
  });
});

describe('Europe/Berlin, fall back (2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00Z)', () => {
  const zone = 'Europe/Berlin';

  it('covers both repetitions of the hour with a slot 01:00-03:00', () => {
    expect(verdict(sunday('01:00', '03:00'), zone, '2026-10-24T22:59:59.999Z')).toEqual(shut('2026-10-24T23:00:00.000Z'));
    expect(verdict(sunday('01:00', '03:00'), zone, '2026-10-24T23:00:00.000Z')).toEqual(open('2026-10-25T02:00:00.000Z'));
    expect(verdict(sunday('01:00', '03:00'), zone, '2026-10-25T00:30:00.000Z')).toEqual(open('2026-10-25T02:00:00.000Z'));
    expect(verdict(sunday('01:00', '03:00'), zone, '2026-10-25T01:59:59.999Z')).toEqual(open('2026-10-25T02:00:00.000Z'));
  });

  it('opens a slot inside the repeated hour again at the exact instant the clock goes back', () => {
    expect(verdict(sunday('02:00', '02:30'), zone, '2026-10-25T00:15:00.000Z')).toEqual(open('2026-10-25T00:30:00.000Z'));
    expect(verdict(sunday('02:00', '02:30'), zone, '2026-10-25T00:45:00.000Z')).toEqual(shut('2026-10-25T01:00:00.000Z'));
    expect(verdict(sunday('02:00', '02:30'), zone, '2026-10-25T01:00:00.000Z')).toEqual(open('2026-10-25T01:30:00.000Z'));
  });
});

describe('America/New_York', () => {
  const zone = 'America/New_York';

  it('spring forward (2026-03-08, 02:00 EST becomes 03:00 EDT at 07:00Z): a 02:15 slot opens at 03:00 EDT', () => {
    expect(verdict(sunday('02:15', '05:00'), zone, '2026-03-08T06:00:00.000Z')).toEqual(shut('2026-03-08T07:00:00.000Z'));
    expect(verdict(sunday('02:15', '05:00'), zone, '2026-03-08T07:00:00.000Z')).toEqual(open('2026-03-08T09:00:00.000Z'));
    // The week after, the same slot starts at 02:15 EDT.
    expect(verdict(sunday('02:15', '05:00'), zone, '2026-03-08T09:00:00.000Z')).toEqual(shut('2026-03-15T06:15:00.000Z'));
  });

  it('fall back (2026-11-01, 02:00 EDT becomes 01:00 EST at 06:00Z): a 01:00-02:00 slot lasts two hours', () => {
    expect(verdict(sunday('01:00', '02:00'), zone, '2026-11-01T04:59:59.999Z')).toEqual(shut('2026-11-01T05:00:00.000Z'));
    expect(verdict(sunday('01:00', '02:00'), zone, '2026-11-01T05:00:00.000Z')).toEqual(open('2026-11-01T07:00:00.000Z'));
    expect(verdict(sunday('01:00', '02:00'), zone, '2026-11-01T07:00:00.000Z')).toEqual(shut('2026-11-08T06:00:00.000Z'));
  });
});

describe('Australia/Lord_Howe (a 30-minute shift)', () => {
  const zone = 'Australia/Lord_Howe';

  it('spring forward (2026-10-04, 02:00 +10:30 becomes 02:30 +11 at 15:30Z the day before)', () => {
    expect(verdict(sunday('02:10', '03:00'), zone, '2026-10-03T15:00:00.000Z')).toEqual(shut('2026-10-03T15:30:00.000Z'));
    expect(verdict(sunday('02:10', '03:00'), zone, '2026-10-03T15:30:00.000Z')).toEqual(open('2026-10-03T16:00:00.000Z'));
  });

  it('fall back (2026-04-05, 02:00 +11 becomes 01:30 +10:30 at 15:00Z the day before): 01:30-02:00 happens twice', () => {
    expect(verdict(sunday('01:30', '02:00'), zone, '2026-04-04T14:30:00.000Z')).toEqual(open('2026-04-04T15:30:00.000Z'));
    expect(verdict(sunday('01:00', '01:45'), zone, '2026-04-04T14:50:00.000Z')).toEqual(shut('2026-04-04T15:00:00.000Z'));
    expect(verdict(sunday('01:00', '01:45'), zone, '2026-04-04T15:00:00.000Z')).toEqual(open('2026-04-04T15:15:00.000Z'));
  });
});

describe('Australia/Sydney (southern hemisphere: summer time from October to April)', () => {
  const zone = 'Australia/Sydney';
  const mondayMornings = weekly({ days: ['MONDAY'], from: '09:00', to: '12:00' });

  it('uses +11 in January and +10 in July', () => {
    expect(verdict(mondayMornings, zone, '2026-01-04T21:00:00.000Z')).toEqual(shut('2026-01-04T22:00:00.000Z'));
    expect(verdict(mondayMornings, zone, '2026-07-05T22:00:00.000Z')).toEqual(shut('2026-07-05T23:00:00.000Z'));
    expect(verdict(mondayMornings, zone, '2026-07-05T23:00:00.000Z')).toEqual(open('2026-07-06T02:00:00.000Z'));
  });

  it('spring forward (2026-10-04, 02:00 AEST becomes 03:00 AEDT at 16:00Z the day before): the 02:00-03:00 slot waits a week', () => {
    expect(verdict(sunday('02:00', '03:00'), zone, '2026-10-03T15:00:00.000Z')).toEqual(shut('2026-10-10T15:00:00.000Z'));
  });
});
