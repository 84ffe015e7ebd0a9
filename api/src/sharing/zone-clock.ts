/**
 * Wall-clock time in an IANA time zone, computed with Node's Intl only (no date library).
 *
 * A "wall" instant is the local date and time read as if it were UTC: `wall = t + offset(t)`.
 * Offsets come from `formatToParts`, which resolves to whole seconds; zones change offset at
 * whole seconds, so an offset read at any millisecond is the offset of that second.
 */

const DAY_MS = 86_400_000;
/**
 * Probe spacing when looking for an offset change. Two changes inside one step that cancel out
 * would go unseen; in tzdata for 2025-2030 changes are at least 35 days apart (Morocco's Ramadan).
 */
const PROBE_MS = DAY_MS;
/** Enough for every IANA zone; past it the cache starts over rather than growing on odd spellings. */
const MAX_CACHED_ZONES = 1000;

// Building a DateTimeFormat costs far more than using one: one per zone, reused by every call.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether Intl accepts `name` as a time zone (IANA names, any letter case; not "+01:00"). */
export function isKnownTimeZone(name: string): boolean {
  if (name.trim() === '') return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

export class ZoneClock {
  private readonly formatter: Intl.DateTimeFormat;
  /** UTC, the default zone, needs no formatting at all (about 15 µs a call). */
  private readonly isUtc: boolean;

  /** @throws RangeError when Intl does not know `timeZone`. */
  constructor(timeZone: string) {
    this.formatter = formatterFor(timeZone);
    this.isUtc = timeZone === 'UTC';
  }

  /** Milliseconds to add to a UTC instant to get the wall clock there. */
  offsetAt(t: number): number {
    if (this.isUtc) return 0;
    const second = Math.floor(t / 1000) * 1000;
    const field = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    for (const part of this.formatter.formatToParts(second)) {
      if (part.type in field) field[part.type as keyof typeof field] = Number(part.value);
    }
    const wall = Date.UTC(field.year, field.month - 1, field.day, field.hour, field.minute, field.second);
    return wall - second;
  }

  /**
   * The first instant in (from, until] whose offset differs from `offset` (the offset at `from`),
   * exact to the millisecond, or null when the offset holds throughout.
   */
  firstOffsetChange(from: number, offset: number, until: number): number | null {
    let before = from;
    while (before < until) {
      const probe = Math.min(before + PROBE_MS, until);
      if (this.offsetAt(probe) !== offset) return this.bisectChange(before, probe, offset);
      before = probe;
    }
    return null;
  }

  /** `low` has `offset`, `high` does not: narrow down to the first instant that does not. */
  private bisectChange(low: number, high: number, offset: number): number {
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (this.offsetAt(middle) === offset) low = middle;
      else high = middle;
    }
    return high;
  }
}
