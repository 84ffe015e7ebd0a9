import { describe, expect, it } from 'vitest';
import { daysText, ruleSummary } from './rule-summary';
import { usableText, windowClosedText, type ShareNow } from './share-rule';

const now = Date.parse('2026-12-01T12:00:00Z'); // Tuesday
const guest = (over: Partial<ShareNow>): ShareNow => ({ role: 'GUEST', weekly: [], allowedNow: true, ...over });

describe('daysText', () => {
  it('joins runs of three or more days with a dash', () => {
    expect(daysText(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'])).toBe('Mon–Fri');
    expect(daysText(['SATURDAY', 'SUNDAY'])).toBe('Sat, Sun');
    expect(daysText(['MONDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'])).toBe('Mon, Wed–Fri');
    expect(daysText(['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'])).toBe('Every day');
  });
});

describe('ruleSummary', () => {
  it('says "Any time" for no rule', () => {
    expect(ruleSummary({ weekly: [] }, 'UTC', now, 'UTC')).toBe('Any time');
  });

  it('gives the window and the weekly slots in the lock zone, naming it once when the device is elsewhere', () => {
    const rule = {
      startsAt: '2026-12-01T08:00:00Z',
      endsAt: '2026-12-24T17:00:00Z',
      weekly: [
        { days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const, from: '08:00', to: '18:00' },
        { days: ['SATURDAY'] as const, from: '00:00', to: '24:00' },
      ],
    };
    expect(ruleSummary(rule, 'Europe/Paris', now, 'Europe/Paris')).toBe('From Tue 09:00 until 24 Dec 18:00; Mon–Fri 08:00–18:00, Sat all day');
    expect(ruleSummary(rule, 'Europe/Paris', now, 'Asia/Tokyo')).toBe('From Tue 09:00 until 24 Dec 18:00; Mon–Fri 08:00–18:00, Sat all day (Europe/Paris time)');
    expect(ruleSummary({ endsAt: '2026-12-04T17:00:00Z', weekly: [] }, 'UTC', now, 'UTC')).toBe('Until Fri 17:00');
  });
});

describe('usableText', () => {
  it('says until when a guest may use the lock now, and from when when not', () => {
    expect(usableText(guest({ allowedNow: true, allowedUntil: '2026-12-04T18:00:00Z' }), 'UTC', now, 'UTC')).toBe('Now until Fri 18:00');
    expect(usableText(guest({ allowedNow: true, allowedUntil: null }), 'UTC', now, 'UTC')).toBe('Any time');
    expect(usableText(guest({ allowedNow: false, nextAllowedAt: '2026-12-07T08:00:00Z' }), 'UTC', now, 'UTC')).toBe('From Mon 08:00');
    expect(usableText(guest({ allowedNow: false, nextAllowedAt: null }), 'UTC', now, 'UTC')).toBe('Expired');
    expect(usableText({ ...guest({ allowedNow: true }), role: 'CO_OWNER' }, 'UTC', now, 'UTC')).toBe('Any time');
  });

  it("shows the lock's wall clock across its daylight-saving change, with the zone when the device is elsewhere", () => {
    const friday = Date.parse('2026-03-27T12:00:00Z');
    // Berlin moves to summer time that night: Sunday 08:00 there is 06:00 UTC (Saturday 08:00 was 07:00 UTC).
    const share = guest({ allowedNow: false, nextAllowedAt: '2026-03-29T06:00:00Z' });
    expect(usableText(share, 'Europe/Berlin', friday, 'Europe/Berlin')).toBe('From Sun 08:00');
    expect(usableText(share, 'Europe/Berlin', friday, 'America/New_York')).toBe('From Sun 08:00 (Europe/Berlin)');
  });
});

describe('windowClosedText', () => {
  it('names the next allowed time, or says the access has ended', () => {
    expect(windowClosedText('2026-12-07T08:00:00Z', 'UTC', now, 'UTC')).toBe('You can use this lock from Mon 08:00.');
    expect(windowClosedText(null, 'UTC', now, 'UTC')).toMatch(/access to this lock has ended/);
  });
});

describe('accessWindowClosedText', () => {
  it("reads ACCESS_WINDOW_CLOSED's next allowed time and leaves other errors alone", async () => {
    const { ApiError } = await import('./graphql-http');
    const { accessWindowClosedText } = await import('./share-rule');
    const closed = new ApiError('Outside your access window.', 'ACCESS_WINDOW_CLOSED', { nextAllowedAt: '2026-12-07T07:00:00.000Z' });
    expect(accessWindowClosedText(closed, 'Europe/Paris', now, 'Europe/Paris')).toBe('You can use this lock from Mon 08:00.');
    expect(accessWindowClosedText(new ApiError('closed', 'ACCESS_WINDOW_CLOSED', { nextAllowedAt: null }), 'UTC', now, 'UTC')).toMatch(/has ended/);
    expect(accessWindowClosedText(new ApiError('No.', 'FORBIDDEN'), 'UTC', now, 'UTC')).toBeNull();
    expect(accessWindowClosedText(new Error('boom'), 'UTC', now, 'UTC')).toBeNull();
  });
});
