/**
 * A guest's access rule: an optional window [startsAt, endsAt) and an optional weekly schedule on
 * the lock's wall clock. Pure: no store, no GraphQL; time comes in as `now`.
 *
 * The weekly schedule is about wall time: a slot is open while the lock's clock reads between
 * `from` and `to` on one of its days. So a slot starting in a spring-forward gap opens when the
 * gap ends, one ending in the gap closes when it starts, and a fall-back hour that happens twice
 * is inside a slot both times.
 */
import { WeeklySchedule, WEEKDAYS, minutesOf, type WeeklySlot } from './weekly-schedule.js';
import { ZoneClock, isKnownTimeZone } from './zone-clock.js';

export { WEEKDAYS, type Weekday, type WeeklySlot } from './weekly-schedule.js';

export interface AccessRule {
  startsAt: Date | null;
  endsAt: Date | null;
  weekly: WeeklySlot[];
}
export interface AccessVerdict {
  allowed: boolean;
  nextAllowedAt: Date | null;
  allowedUntil: Date | null;
}

// Frozen: it is shared by every caller that means "no restriction".
export const ALWAYS: AccessRule = Object.freeze({ startsAt: null, endsAt: null, weekly: [] });

const MAX_SLOTS = 28;
const LAST_VALID_TIME = Date.UTC(10000, 0, 1);
/**
 * How far ahead to look for the next opening or closing of the weekly schedule. It repeats every
 * week on the wall clock; one more week covers an occurrence a daylight-saving gap swallowed
 * (a Sunday 02:00-02:30 slot does not exist on a spring-forward Sunday).
 */
const HORIZON_MS = 15 * 86_400_000;

export function isTimeZone(name: string): boolean {
  return isKnownTimeZone(name);
}

/**
 * Allowed now? If not, the next instant it opens (null = never again); if so, the instant it
 * closes (null = never). Cheap enough for every command and lock list: the zone's formatter is
 * cached, and the search walks only the offset changes and slot edges ahead.
 * @throws RangeError for a rule `accessRuleProblems` refuses, or weekly slots in a time zone Intl
 *   does not know (check it with `isTimeZone` when it is set).
 */
export function evaluateAccess(rule: AccessRule, timeZone: string, now: Date): AccessVerdict {
  const t = now.getTime();
  const startsAt = rule.startsAt?.getTime() ?? null;
  const endsAt = rule.endsAt?.getTime() ?? null;
  const weekly = rule.weekly.length > 0 ? new WeeklySearch(new WeeklySchedule(rule.weekly), new ZoneClock(timeZone)) : null;

  if (endsAt !== null && t >= endsAt) return closed(null);
  const inWindow = startsAt === null || t >= startsAt;
  if (inWindow && (weekly === null || weekly.first(t, true, t + HORIZON_MS) === t)) {
    const closes = weekly?.first(t, false, t + HORIZON_MS) ?? null;
    return { allowed: true, nextAllowedAt: null, allowedUntil: earliest(closes, endsAt) };
  }
  const from = inWindow ? t : (startsAt ?? t);
  const limit = endsAt === null ? from + HORIZON_MS : Math.min(endsAt, from + HORIZON_MS);
  const opens = weekly === null ? from : weekly.first(from, true, limit);
  return closed(opens !== null && (endsAt === null || opens < endsAt) ? opens : null);
}

/** Empty when valid; else one message per problem, each naming its field. */
export function accessRuleProblems(rule: AccessRule): string[] {
  const problems: string[] = [];
  const startsAt = rule.startsAt?.getTime() ?? null;
  const endsAt = rule.endsAt?.getTime() ?? null;
  problems.push(...dateProblems(startsAt, 'startsAt'), ...dateProblems(endsAt, 'endsAt'));
  if (startsAt !== null && endsAt !== null && !(startsAt < endsAt)) problems.push('endsAt: must be after startsAt');
  if (rule.weekly.length > MAX_SLOTS) problems.push(`weekly: at most ${MAX_SLOTS} slots`);
  rule.weekly.forEach((slot, i) => problems.push(...slotProblems(slot, `weekly[${i}]`)));
  return problems;
}

function dateProblems(time: number | null, field: string): string[] {
  if (time === null) return [];
  if (Number.isNaN(time)) return [`${field}: not a valid date`];
  // Searching ahead of a date at the end of Date's range would step past it.
  if (time >= LAST_VALID_TIME) return [`${field}: must be before the year 10000`];
  return [];
}

function slotProblems(slot: WeeklySlot, field: string): string[] {
  const problems: string[] = [];
  const from = minutesOf(slot.from, false);
  const to = minutesOf(slot.to, true);
  if (from === null) problems.push(`${field}.from: expected HH:MM from 00:00 to 23:59`);
  if (to === null) problems.push(`${field}.to: expected HH:MM from 00:00 to 24:00`);
  if (from !== null && to !== null && to <= from) problems.push(`${field}.to: must be after from`);
  if (slot.days.length === 0) problems.push(`${field}.days: at least one day`);
  const seen = new Set<string>();
  slot.days.forEach((day, j) => {
    if (!(WEEKDAYS as readonly string[]).includes(day)) problems.push(`${field}.days[${j}]: unknown weekday ${JSON.stringify(day)}`);
    else if (seen.has(day)) problems.push(`${field}.days: ${day} appears twice`);
    seen.add(day);
  });
  return problems;
}

/** Walks real time in stretches of one UTC offset, in each of which the wall clock runs evenly. */
class WeeklySearch {
  constructor(
    private readonly schedule: WeeklySchedule,
    private readonly clock: ZoneClock,
  ) {}

  /** The first instant in [from, limit) where the schedule is `open` (true) or shut (false); null if none. */
  first(from: number, open: boolean, limit: number): number | null {
    let cursor = from;
    let offset = this.clock.offsetAt(cursor);
    while (cursor < limit) {
      const wall = this.schedule.nextWall(cursor + offset, open);
      if (wall === null) return null;
      const candidate = wall - offset;
      // The candidate holds only if the offset stays put until then; else resume where it changes.
      const change = this.clock.firstOffsetChange(cursor, offset, Math.min(candidate, limit));
      if (change === null) return candidate < limit ? candidate : null;
      cursor = change;
      offset = this.clock.offsetAt(cursor);
    }
    return null;
  }
}

function closed(nextAllowedAt: number | null): AccessVerdict {
  return { allowed: false, nextAllowedAt: nextAllowedAt === null ? null : new Date(nextAllowedAt), allowedUntil: null };
}

function earliest(a: number | null, b: number | null): Date | null {
  if (a === null) return b === null ? null : new Date(b);
  return new Date(b === null ? a : Math.min(a, b));
}
