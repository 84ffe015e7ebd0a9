/**
 * A weekly schedule as one union of wall-clock periods, so that adjacent and overlapping slots
 * (Mon 18:00-24:00 + Tue 00:00-06:00, or Sun 22:00-24:00 + Mon 00:00-02:00) read as one period.
 * Positions are milliseconds since Monday 00:00 on the wall clock.
 */

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export interface WeeklySlot {
  days: Weekday[];
  from: string;
  to: string;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const HH_MM = /^(\d\d):(\d\d)$/;

/** Minutes since midnight of "HH:MM" (00:00..23:59, and 24:00 when `endOfDay` is allowed), else null. */
export function minutesOf(time: string, endOfDay: boolean): number | null {
  const match = HH_MM.exec(time);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (endOfDay && hours === 24 && minutes === 0) return 24 * 60;
  if (hours > 23 || minutes > 59) return null;
  return hours * 60 + minutes;
}

interface Period {
  start: number;
  end: number;
}

export class WeeklySchedule {
  /** Merged periods of three consecutive weeks, so that a period running into the next week is whole. */
  private readonly periods: Period[];
  private readonly coversEverything: boolean;

  /** @throws RangeError on a slot that `accessRuleProblems` would refuse. */
  constructor(slots: readonly WeeklySlot[]) {
    const week: Period[] = [];
    for (const slot of slots) {
      const from = minutesOf(slot.from, false);
      const to = minutesOf(slot.to, true);
      if (from === null || to === null || to <= from) throw new RangeError(`invalid weekly slot ${slot.from}-${slot.to}`);
      for (const day of slot.days) {
        const dayStart = WEEKDAYS.indexOf(day) * DAY_MS;
        if (dayStart < 0) throw new RangeError(`invalid weekday ${String(day)}`);
        week.push({ start: dayStart + from * MINUTE_MS, end: dayStart + to * MINUTE_MS });
      }
    }
    const threeWeeks = [0, 1, 2].flatMap((k) => week.map((p) => ({ start: p.start + k * WEEK_MS, end: p.end + k * WEEK_MS })));
    this.periods = merge(threeWeeks);
    const first = this.periods[0];
    this.coversEverything = first !== undefined && first.start === 0 && first.end === 3 * WEEK_MS;
  }

  /**
   * The first wall instant at or after `wall` where the schedule is `open` (true: inside a period;
   * false: outside every period), or null when that never happens.
   */
  nextWall(wall: number, open: boolean): number | null {
    if (this.periods.length === 0) return open ? null : wall;
    if (this.coversEverything) return open ? wall : null;
    const position = weekPosition(wall);
    const weekStart = wall - position;
    const containing = this.periods.find((p) => p.start <= position && position < p.end);
    if (open) {
      if (containing) return wall;
      const next = this.periods.find((p) => p.start > position);
      return next ? weekStart + next.start : null; // the second week always has one
    }
    return containing ? weekStart + containing.end : wall;
  }
}

function weekPosition(wall: number): number {
  const mondayBased = (new Date(wall).getUTCDay() + 6) % 7;
  const sinceMidnight = ((wall % DAY_MS) + DAY_MS) % DAY_MS;
  return mondayBased * DAY_MS + sinceMidnight;
}

function merge(periods: Period[]): Period[] {
  const sorted = [...periods].sort((a, b) => a.start - b.start);
  const merged: Period[] = [];
  for (const period of sorted) {
    const last = merged[merged.length - 1];
    if (last && period.start <= last.end) last.end = Math.max(last.end, period.end);
    else merged.push({ ...period });
  }
  return merged;
}
