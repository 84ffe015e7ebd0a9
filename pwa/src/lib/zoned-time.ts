/**
 * Instants shown and typed in a lock's time zone (an IANA name), whatever zone the phone is in:
 * a guest's window "until Fri 18:00" means 18:00 at the door.
 */

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(timeZone, format);
  }
  return format;
}

export interface ZonedParts {
  year: number;
  /** 1–12 */
  month: number;
  monthName: string;
  day: number;
  weekday: string;
  hour: number;
  minute: number;
  second: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The wall-clock reading of `instant` (ms) in `timeZone`. */
export function zonedParts(instant: number, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const part of partsFormat(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  const monthName = (parts.month ?? '').slice(0, 3);
  return {
    year: Number(parts.year),
    month: MONTHS.indexOf(monthName) + 1,
    monthName,
    day: Number(parts.day),
    weekday: (parts.weekday ?? '').slice(0, 3),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** How far `timeZone` is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * The instant a `datetime-local` value ("2026-12-01T09:00") names in `timeZone`, or null when it is
 * not one. A time the clocks skip (02:30 when they spring forward) is read with the offset before the
 * change, i.e. an hour later on the new clock; a time that happens twice is the first one.
 */
export function zonedLocalToInstant(local: string, timeZone: string): number | null {
  const match = LOCAL.exec(local);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  if (new Date(wall).getUTCDate() !== day) return null; // 31 February
  // The offsets on either side of a change differ; try both, keep the earliest that reads back right.
  const candidates = [offsetAt(wall - 86_400_000, timeZone), offsetAt(wall + 86_400_000, timeZone)].sort((a, b) => b - a);
  for (const offset of candidates) {
    const instant = wall - offset;
    if (offsetAt(instant, timeZone) === offset) return instant;
  }
  return wall - (candidates[1] ?? 0); // skipped: the offset in force before the change
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `instant` as a `datetime-local` value in `timeZone` (for editing a share). */
export function instantToZonedLocal(instant: number, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** The time zone this device is in. */
export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every IANA zone this browser knows (sorted), with `extra` (e.g. the lock's own) when missing. */
export function timeZoneChoices(extra: readonly string[] = []): string[] {
  const known: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...known, 'UTC', ...extra])].sort();
}

/**
 * `instant` as people read it at the lock: "Fri 18:00" from today to six days on, "5 Dec 18:00" otherwise
 * (with the year when not this one), and the zone's name when it is not the device's.
 */
export function formatLockTime(instant: number, timeZone: string, now: number, deviceZone = deviceTimeZone()): string {
  const p = zonedParts(instant, timeZone);
  const time = `${pad(p.hour)}:${pad(p.minute)}`;
  const today = zonedParts(now, timeZone);
  // A weekday alone is clear for today and the six days after (a week on, "Mon" would read as today).
  const daysAhead = Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(today.year, today.month - 1, today.day)) / 86_400_000);
  const date = daysAhead >= 0 && daysAhead <= 6 ? p.weekday : `${p.day} ${p.monthName}${p.year !== today.year ? ` ${p.year}` : ''}`;
  return `${date} ${time}${timeZone === deviceZone ? '' : ` (${timeZone})`}`;
}
