/** History lines under day headings ("Today", "Yesterday", "Monday", "Monday 3 November"), in local time. */
import { relativeTime } from './relative-time';

export interface DayGroup<T> {
  /** The local day, YYYY-MM-DD. */
  day: string;
  heading: string;
  lines: T[];
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayOf = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** Whole local days from `then` to `now` (0 = the same day), whatever the daylight-saving shifts. */
function daysBetween(then: Date, now: Date): number {
  const start = (date: Date) => Date.UTC(date.getFullYear(), date.getMonth(), date.getDate());
  return Math.round((start(now) - start(then)) / 86_400_000);
}

export function dayHeading(iso: string, now: number, locale?: string): string {
  const then = new Date(iso);
  const today = new Date(now);
  const days = daysBetween(then, today);
  if (days <= 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days < 7) return new Intl.DateTimeFormat(locale, { weekday: 'long' }).format(then);
  const year = then.getFullYear() === today.getFullYear() ? {} : { year: 'numeric' as const };
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', ...year }).format(then);
}

/** "just now", "2 min ago" today; the time of day under an earlier day's heading. */
export function whenText(iso: string, now: number, locale?: string): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return '';
  if (now - then.getTime() < 60_000) return 'just now';
  if (daysBetween(then, new Date(now)) <= 0) return relativeTime(iso, now);
  return `at ${new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(then)}`;
}

/**
 * The lines of each local day under one heading, days in the order they first appear and lines in
 * theirs (newest first). The api orders by when entries were written, which another replica's
 * clock can put slightly out of time order: a day still gets one heading.
 */
export function groupByDay<T extends { at: string }>(lines: readonly T[], now: number, locale?: string): DayGroup<T>[] {
  const groups = new Map<string, DayGroup<T>>();
  for (const line of lines) {
    const day = dayOf(new Date(line.at));
    const group = groups.get(day);
    if (group) group.lines.push(line);
    else groups.set(day, { day, heading: dayHeading(line.at, now, locale), lines: [line] });
  }
  return [...groups.values()];
}
