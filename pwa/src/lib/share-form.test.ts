import { describe, expect, it } from 'vitest';
import { accessDraftOf, checkAccess, emptyAccess, newSlot, usernameProblem, type AccessDraft } from './share-form';

const draft = (over: Partial<AccessDraft>): AccessDraft => ({ ...emptyAccess(), ...over });

describe('checkAccess', () => {
  it('sends no rule for "any time" and none for a co-owner', () => {
    expect(checkAccess('GUEST', emptyAccess(), 'UTC')).toEqual({ ok: true, access: null });
    expect(checkAccess('CO_OWNER', draft({ windowOn: true, startsAt: 'nonsense' }), 'UTC')).toEqual({ ok: true, access: null });
  });

  it('turns dates typed in the lock zone into instants', () => {
    const result = checkAccess('GUEST', draft({ windowOn: true, startsAt: '2026-12-01T09:00', endsAt: '2026-12-05T18:00' }), 'Europe/Paris');
    expect(result).toEqual({ ok: true, access: { startsAt: '2026-12-01T08:00:00.000Z', endsAt: '2026-12-05T17:00:00.000Z', weekly: [] } });
    expect(checkAccess('GUEST', draft({ windowOn: true, endsAt: '2026-12-05T18:00' }), 'UTC')).toEqual({
      ok: true,
      access: { startsAt: null, endsAt: '2026-12-05T18:00:00.000Z', weekly: [] },
    });
  });

  it('refuses an empty or backwards window', () => {
    expect(checkAccess('GUEST', draft({ windowOn: true }), 'UTC')).toEqual({ ok: false, problems: [expect.stringMatching(/Give a start, an end or both/)] });
    expect(checkAccess('GUEST', draft({ windowOn: true, startsAt: '2026-12-05T18:00', endsAt: '2026-12-05T18:00' }), 'UTC')).toEqual({
      ok: false,
      problems: ['The end must be after the start.'],
    });
  });

  it('checks every weekly slot and names the slot at fault', () => {
    const slots = [newSlot(), { days: [], from: '22:00', to: '06:00' }];
    const result = checkAccess('GUEST', draft({ weeklyOn: true, slots }), 'UTC');
    expect(result).toEqual({
      ok: false,
      problems: ['Slot 2: pick at least one day.', expect.stringMatching(/^Slot 2: the end must be after the start \(for a night, add two slots/)],
    });
    expect(checkAccess('GUEST', draft({ weeklyOn: true, slots: [] }), 'UTC')).toEqual({ ok: false, problems: [expect.stringMatching(/at least one time slot/)] });
    expect(checkAccess('GUEST', draft({ weeklyOn: true, slots: [{ days: ['MONDAY'], from: '8am', to: '25:00' }] }), 'UTC')).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^The time slot: the start time/), expect.stringMatching(/^The time slot: the end time/)],
    });
  });

  it('reads "until 00:00" as until midnight, and gives it back as such for editing', () => {
    const result = checkAccess('GUEST', draft({ weeklyOn: true, slots: [{ days: ['SATURDAY'], from: '20:00', to: '00:00' }] }), 'UTC');
    expect(result).toEqual({ ok: true, access: { startsAt: null, endsAt: null, weekly: [{ days: ['SATURDAY'], from: '20:00', to: '24:00' }] } });
    const edited = accessDraftOf({ startsAt: '2026-03-29T06:00:00Z', weekly: [{ days: ['SATURDAY'], from: '20:00', to: '24:00' }] }, 'Europe/Berlin');
    expect(edited).toMatchObject({ windowOn: true, startsAt: '2026-03-29T08:00', endsAt: '', weeklyOn: true, slots: [{ days: ['SATURDAY'], from: '20:00', to: '00:00' }] });
  });
});

describe('usernameProblem', () => {
  it('wants a username', () => {
    expect(usernameProblem('  ')).toMatch(/Type the username/);
    expect(usernameProblem('bob')).toBeNull();
  });
});
