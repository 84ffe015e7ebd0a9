/**
 * The share form's values and their check: who, which role, and (for a guest) when. Dates are typed
 * in the lock's time zone; the api gets instants. Every problem is named so the form can say it at once
 * instead of after a round trip.
 */
import type { AccessRule } from './share-rule';
import type { WeekdayName } from './weekdays';
import { instantToZonedLocal, zonedLocalToInstant } from './zoned-time';

export type ShareRoleName = 'CO_OWNER' | 'GUEST';

export interface SlotDraft {
  days: WeekdayName[];
  from: string;
  to: string;
}

export interface AccessDraft {
  /** Only between two dates (either may be left empty: from a date on, or until one). */
  windowOn: boolean;
  startsAt: string;
  endsAt: string;
  /** Only on certain days and hours. */
  weeklyOn: boolean;
  slots: SlotDraft[];
}

export interface AccessInputValue {
  startsAt: string | null;
  endsAt: string | null;
  weekly: SlotDraft[];
}

export type AccessCheck = { ok: true; access: AccessInputValue | null } | { ok: false; problems: string[] };

export function newSlot(): SlotDraft {
  return { days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], from: '08:00', to: '18:00' };
}

export function emptyAccess(): AccessDraft {
  return { windowOn: false, startsAt: '', endsAt: '', weeklyOn: false, slots: [newSlot()] };
}

/** The draft of an existing rule, for editing it. */
export function accessDraftOf(rule: AccessRule, timeZone: string): AccessDraft {
  const local = (iso: string | null | undefined) => (iso ? instantToZonedLocal(Date.parse(iso), timeZone) : '');
  return {
    windowOn: Boolean(rule.startsAt || rule.endsAt),
    startsAt: local(rule.startsAt),
    endsAt: local(rule.endsAt),
    weeklyOn: rule.weekly.length > 0,
    slots: rule.weekly.length > 0 ? rule.weekly.map((slot) => ({ days: [...slot.days], from: slot.from, to: slot.to === '24:00' ? '00:00' : slot.to })) : [newSlot()],
  };
}

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

function minutesOf(time: string): number {
  if (time === '24:00') return 1440;
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function slotProblems(slot: SlotDraft, label: string): string[] {
  const problems: string[] = [];
  if (slot.days.length === 0) problems.push(`${label}: pick at least one day.`);
  const fromOk = CLOCK.test(slot.from);
  const toOk = CLOCK.test(slot.to) || slot.to === '24:00';
  if (!fromOk) problems.push(`${label}: the start time must be like 08:00.`);
  if (!toOk) problems.push(`${label}: the end time must be like 18:00 (24:00 for midnight).`);
  if (fromOk && toOk && minutesOf(slot.to) <= minutesOf(slot.from)) {
    problems.push(`${label}: the end must be after the start (for a night, add two slots: until 24:00 and from 00:00).`);
  }
  return problems;
}

/**
 * The access rule to send for `role` (null: any time), or what is wrong with it. A co-owner has no
 * rule: the api ignores one, so none is sent.
 */
export function checkAccess(role: ShareRoleName, draft: AccessDraft, timeZone: string): AccessCheck {
  if (role === 'CO_OWNER' || (!draft.windowOn && !draft.weeklyOn)) return { ok: true, access: null };
  const problems: string[] = [];
  let startsAt: number | null = null;
  let endsAt: number | null = null;
  if (draft.windowOn) {
    if (!draft.startsAt && !draft.endsAt) problems.push('Give a start, an end or both (or untick “Only between dates”).');
    if (draft.startsAt) {
      startsAt = zonedLocalToInstant(draft.startsAt, timeZone);
      if (startsAt === null) problems.push('The start is not a date and time.');
    }
    if (draft.endsAt) {
      endsAt = zonedLocalToInstant(draft.endsAt, timeZone);
      if (endsAt === null) problems.push('The end is not a date and time.');
    }
    if (startsAt !== null && endsAt !== null && endsAt <= startsAt) problems.push('The end must be after the start.');
  }
  const weekly: SlotDraft[] = [];
  if (draft.weeklyOn) {
    if (draft.slots.length === 0) problems.push('Add at least one time slot (or untick “Only on certain days”).');
    draft.slots.forEach((draftSlot, index) => {
      // A time field cannot hold 24:00: "until 00:00" means until midnight.
      const slot = { ...draftSlot, to: draftSlot.to === '00:00' ? '24:00' : draftSlot.to };
      const label = draft.slots.length > 1 ? `Slot ${index + 1}` : 'The time slot';
      problems.push(...slotProblems(slot, label));
      weekly.push({ days: [...slot.days], from: slot.from, to: slot.to });
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    access: {
      startsAt: startsAt === null ? null : new Date(startsAt).toISOString(),
      endsAt: endsAt === null ? null : new Date(endsAt).toISOString(),
      weekly,
    },
  };
}

/** The username problem, if any. */
export function usernameProblem(username: string): string | null {
  return username.trim() ? null : 'Type the username of the person to share this lock with.';
}
