import { describe, expect, it } from 'vitest';
import { ALWAYS, accessRuleProblems, evaluateAccess, isTimeZone, type AccessRule, type WeeklySlot } from './access-rule.js';

const rule = (fields: Partial<AccessRule>): AccessRule => ({ ...ALWAYS, weekly: [], ...fields });
const weekly = (...slots: WeeklySlot[]): AccessRule => rule({ weekly: slots });

/** The verdict with instants as ISO strings, so that a failure shows which instant was wrong. */
function verdict(accessRule: AccessRule, timeZone: string, now: string) {
  const { allowed, nextAllowedAt, allowedUntil } = evaluateAccess(accessRule, timeZone, new Date(now));
  return { allowed, nextAllowedAt: nextAllowedAt?.toISOString() ?? null, allowedUntil: allowedUntil?.toISOString() ?? null };
}
const open = (until: string | null) => ({ allowed: true, nextAllowedAt: null, allowedUntil: until });
const shut = (next: string | null) => ({ allowed: false, nextAllowedAt: next, allowedUntil: null });

describe('access window', () => {
  const window = rule({ startsAt: new Date('2026-06-01T10:00:00.000Z'), endsAt: new Date('2026-06-01T12:00:00.000Z') });

  it('opens exactly at startsAt and not a millisecond before', () => {
    expect(verdict(window, 'UTC', '2026-06-01T09:59:59.999Z')).toEqual(shut('2026-06-01T10:00:00.000Z'));
    expect(verdict(window, 'UTC', '2026-06-01T10:00:00.000Z')).toEqual(open('2026-06-01T12:00:00.000Z'));
  });

  it('closes exactly at endsAt, and then never opens again', () => {
    expect(verdict(window, 'UTC', '2026-06-01T11:59:59.999Z')).toEqual(open('2026-06-01T12:00:00.000Z'));
    expect(verdict(window, 'UTC', '2026-06-01T12:00:00.000Z')).toEqual(shut(null));
  });

  it('takes either bound alone, and no rule at all as always', () => {
    expect(verdict(rule({ startsAt: new Date('2026-06-01T10:00:00.000Z') }), 'UTC', '2030-01-01T00:00:00.000Z')).toEqual(open(null));
    expect(verdict(rule({ endsAt: new Date('2026-06-01T12:00:00.000Z') }), 'UTC', '2020-01-01T00:00:00.000Z')).toEqual(open('2026-06-01T12:00:00.000Z'));
    expect(verdict(ALWAYS, 'Europe/Berlin', '2026-06-01T10:00:00.000Z')).toEqual(open(null));
  });
});

describe('weekly slots', () => {
  const office = weekly({ days: ['MONDAY'], from: '09:00', to: '17:00' }); // 2026-06-01 is a Monday

  it('opens at from and closes at to on the listed day, in UTC', () => {
    expect(verdict(office, 'UTC', '2026-06-01T08:59:59.999Z')).toEqual(shut('2026-06-01T09:00:00.000Z'));
    expect(verdict(office, 'UTC', '2026-06-01T09:00:00.000Z')).toEqual(open('2026-06-01T17:00:00.000Z'));
    expect(verdict(office, 'UTC', '2026-06-01T16:59:59.999Z')).toEqual(open('2026-06-01T17:00:00.000Z'));
    expect(verdict(office, 'UTC', '2026-06-01T17:00:00.000Z')).toEqual(shut('2026-06-08T09:00:00.000Z'));
  });

  it('reads from and to on the lock\'s wall clock', () => {
    expect(verdict(office, 'Europe/Berlin', '2026-06-01T06:59:59.999Z')).toEqual(shut('2026-06-01T07:00:00.000Z'));
    expect(verdict(office, 'Europe/Berlin', '2026-06-01T07:00:00.000Z')).toEqual(open('2026-06-01T15:00:00.000Z'));
    // Monday 09:00 in New York comes six hours after Berlin's.
    expect(verdict(office, 'America/New_York', '2026-06-01T12:00:00.000Z')).toEqual(shut('2026-06-01T13:00:00.000Z'));
  });

  it('keeps millisecond precision when now is between seconds', () => {
    expect(verdict(office, 'Europe/Berlin', '2026-06-01T06:59:59.123Z')).toEqual(shut('2026-06-01T07:00:00.000Z'));
    expect(verdict(office, 'Europe/Berlin', '2026-06-01T07:00:00.123Z')).toEqual(open('2026-06-01T15:00:00.000Z'));
  });

  it('treats adjacent slots as one period: evening to 24:00 then early morning', () => {
    const night = weekly({ days: ['MONDAY'], from: '18:00', to: '24:00' }, { days: ['TUESDAY'], from: '00:00', to: '06:00' });
    expect(verdict(night, 'UTC', '2026-06-01T20:00:00.000Z')).toEqual(open('2026-06-02T06:00:00.000Z'));
    expect(verdict(night, 'UTC', '2026-06-02T06:00:00.000Z')).toEqual(shut('2026-06-08T18:00:00.000Z'));
  });

  it('treats overlapping slots as one period', () => {
    const overlapping = weekly({ days: ['MONDAY'], from: '08:00', to: '12:00' }, { days: ['MONDAY'], from: '10:00', to: '14:00' });
    expect(verdict(overlapping, 'UTC', '2026-06-01T09:00:00.000Z')).toEqual(open('2026-06-01T14:00:00.000Z'));
  });

  it('joins a slot across midnight written as two slots, also from Sunday into Monday', () => {
    const friday = weekly({ days: ['FRIDAY'], from: '22:00', to: '24:00' }, { days: ['SATURDAY'], from: '00:00', to: '02:00' });
    expect(verdict(friday, 'Europe/Berlin', '2026-06-05T19:00:00.000Z')).toEqual(shut('2026-06-05T20:00:00.000Z'));
    expect(verdict(friday, 'Europe/Berlin', '2026-06-05T21:00:00.000Z')).toEqual(open('2026-06-06T00:00:00.000Z'));
    const sunday = weekly({ days: ['SUNDAY'], from: '22:00', to: '24:00' }, { days: ['MONDAY'], from: '00:00', to: '02:00' });
    expect(verdict(sunday, 'UTC', '2026-06-07T23:00:00.000Z')).toEqual(open('2026-06-08T02:00:00.000Z'));
  });

  it('never closes when every hour of every day is in', () => {
    const allWeek = weekly({ days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'], from: '00:00', to: '24:00' });
    expect(verdict(allWeek, 'Europe/Berlin', '2026-03-29T01:30:00.000Z')).toEqual(open(null));
    const ending = rule({ ...allWeek, endsAt: new Date('2026-07-01T00:00:00.000Z') });
    expect(verdict(ending, 'Europe/Berlin', '2026-06-01T00:00:00.000Z')).toEqual(open('2026-07-01T00:00:00.000Z'));
  });
});

describe('window and weekly together', () => {
  const mondays = { days: ['MONDAY'], from: '09:00', to: '17:00' } satisfies WeeklySlot;

  it('opens at the first slot after startsAt, or at startsAt inside a slot', () => {
    const later = rule({ startsAt: new Date('2026-06-03T00:00:00.000Z'), weekly: [mondays] });
    expect(verdict(later, 'UTC', '2026-06-01T10:00:00.000Z')).toEqual(shut('2026-06-08T09:00:00.000Z'));
    const midSlot = rule({ startsAt: new Date('2026-06-08T12:34:56.789Z'), weekly: [mondays] });
    expect(verdict(midSlot, 'UTC', '2026-06-01T10:00:00.000Z')).toEqual(shut('2026-06-08T12:34:56.789Z'));
  });

  it('closes at endsAt when it comes before the slot ends', () => {
    const ending = rule({ endsAt: new Date('2026-06-01T11:00:00.000Z'), weekly: [mondays] });
    expect(verdict(ending, 'UTC', '2026-06-01T10:00:00.000Z')).toEqual(open('2026-06-01T11:00:00.000Z'));
  });

  it('says never again when the next slot starts at or after endsAt', () => {
    const ending = rule({ endsAt: new Date('2026-06-08T09:00:00.000Z'), weekly: [mondays] });
    expect(verdict(ending, 'UTC', '2026-06-01T17:00:00.000Z')).toEqual(shut(null));
    expect(verdict(rule({ ...ending, endsAt: new Date('2026-06-08T09:00:00.001Z') }), 'UTC', '2026-06-01T17:00:00.000Z')).toEqual(
      shut('2026-06-08T09:00:00.000Z'),
    );
  });

  it('is shut inside a slot once the window has ended', () => {
    const ended = rule({ endsAt: new Date('2026-06-01T08:00:00.000Z'), weekly: [mondays] });
    expect(verdict(ended, 'UTC', '2026-06-01T10:00:00.000Z')).toEqual(shut(null));
  });
});

describe('access rule validation', () => {
  const slot = (fields: Partial<WeeklySlot>): WeeklySlot => ({ days: ['MONDAY'], from: '09:00', to: '17:00', ...fields });

  it('accepts no rule, a window, and slots up to 24:00', () => {
    expect(accessRuleProblems(ALWAYS)).toEqual([]);
    expect(accessRuleProblems(rule({ startsAt: new Date(0), endsAt: new Date(1) }))).toEqual([]);
    expect(accessRuleProblems(weekly(slot({ from: '00:00', to: '24:00' }), slot({ from: '23:59', to: '24:00' })))).toEqual([]);
  });

  it('refuses a window that does not end after it starts, or an invalid date', () => {
    const at = new Date('2026-06-01T10:00:00.000Z');
    expect(accessRuleProblems(rule({ startsAt: at, endsAt: at }))).toEqual(['endsAt: must be after startsAt']);
    expect(accessRuleProblems(rule({ startsAt: new Date('soon') }))).toEqual(['startsAt: not a valid date']);
    expect(accessRuleProblems(rule({ endsAt: new Date(Number.NaN) }))).toEqual(['endsAt: not a valid date']);
    expect(accessRuleProblems(rule({ endsAt: new Date('9999-12-31T23:59:59.999Z') }))).toEqual([]);
    expect(accessRuleProblems(rule({ endsAt: new Date('+010000-01-01T00:00:00.000Z') }))).toEqual(['endsAt: must be before the year 10000']);
  });

  it('names each bad field of each slot', () => {
    expect(accessRuleProblems(weekly(slot({}), slot({ from: '9:00', to: '25:00' })))).toEqual([
      'weekly[1].from: expected HH:MM from 00:00 to 23:59',
      'weekly[1].to: expected HH:MM from 00:00 to 24:00',
    ]);
    expect(accessRuleProblems(weekly(slot({ from: '24:00', to: '24:00' })))).toEqual(['weekly[0].from: expected HH:MM from 00:00 to 23:59']);
    expect(accessRuleProblems(weekly(slot({ from: '12:60', to: '24:01' })))).toEqual([
      'weekly[0].from: expected HH:MM from 00:00 to 23:59',
      'weekly[0].to: expected HH:MM from 00:00 to 24:00',
    ]);
  });

  it('refuses a slot whose end is not after its start (no overnight slots)', () => {
    expect(accessRuleProblems(weekly(slot({ from: '22:00', to: '02:00' })))).toEqual(['weekly[0].to: must be after from']);
    expect(accessRuleProblems(weekly(slot({ from: '10:00', to: '10:00' })))).toEqual(['weekly[0].to: must be after from']);
  });

  it('refuses a slot without days, with a day twice, or with an unknown day', () => {
    expect(accessRuleProblems(weekly(slot({ days: [] })))).toEqual(['weekly[0].days: at least one day']);
    expect(accessRuleProblems(weekly(slot({ days: ['MONDAY', 'FRIDAY', 'MONDAY'] })))).toEqual(['weekly[0].days: MONDAY appears twice']);
    const unknownDay = ['FUNDAY'] as unknown as WeeklySlot['days']; // as a caller without GraphQL's enum check could pass
    expect(accessRuleProblems(weekly(slot({ days: unknownDay })))).toEqual(['weekly[0].days[0]: unknown weekday "FUNDAY"']);
  });

  it('allows 28 slots and refuses 29', () => {
    expect(accessRuleProblems(weekly(...Array.from({ length: 28 }, () => slot({}))))).toEqual([]);
    expect(accessRuleProblems(weekly(...Array.from({ length: 29 }, () => slot({}))))).toEqual(['weekly: at most 28 slots']);
  });
});

describe('time zones', () => {
  it('accepts IANA names Intl knows and refuses the rest', () => {
    expect(['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'].map(isTimeZone)).toEqual([true, true, true, true]);
    expect(['', ' ', 'Mars/Olympus_Mons', '+01:00', 'Europe/Berlin '].map(isTimeZone)).toEqual([false, false, false, false, false]);
  });

  it('refuses to evaluate a weekly rule in an unknown time zone rather than guess one', () => {
    const office = weekly({ days: ['MONDAY'], from: '09:00', to: '17:00' });
    expect(() => evaluateAccess(office, 'Mars/Olympus_Mons', new Date('2026-06-01T10:00:00.000Z'))).toThrow(RangeError);
  });
});

describe('cost', () => {
  it('builds the time zone\'s formatter once, not on every evaluation', () => {
    const office = weekly({ days: ['MONDAY'], from: '09:00', to: '17:00' });
    const now = new Date('2026-06-01T10:00:00.000Z');
    evaluateAccess(office, 'Asia/Kathmandu', now);
    const Original = Intl.DateTimeFormat;
    let built = 0;
    class Counting extends Original {
      constructor(...args: ConstructorParameters<typeof Original>) {
        super(...args);
        built += 1;
      }
    }
    Reflect.set(Intl, 'DateTimeFormat', Counting);
    try {
      for (let i = 0; i < 10; i++) evaluateAccess(office, 'Asia/Kathmandu', now);
      expect(built).toBe(0);
      evaluateAccess(office, 'Asia/Kolkata', now); // the counter does see a new zone's formatter being built
      expect(built).toBe(1);
    } finally {
      Reflect.set(Intl, 'DateTimeFormat', Original);
    }
  });
});
