/**
 * A share's access rule in words: what the owner set ("Mon–Fri 08:00–18:00") and, for the person it
 * is shared with, when they may use the lock ("Now until Fri 18:00", "From Mon 08:00", "Expired").
 * Times are the lock's: its time zone is named when it is not the device's.
 */
import { ApiError } from './graphql-http';
import { deviceTimeZone, formatLockTime } from './zoned-time';

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

export const WEEKDAY_SHORT: Record<WeekdayName, string> = {
  MONDAY: 'Mon',
  TUESDAY: 'Tue',
  WEDNESDAY: 'Wed',
  THURSDAY: 'Thu',
  FRIDAY: 'Fri',
  SATURDAY: 'Sat',
  SUNDAY: 'Sun',
};

export interface SlotRule {
  days: readonly WeekdayName[];
  from: string;
  to: string;
}

export interface AccessRule {
  startsAt?: string | null;
  endsAt?: string | null;
  weekly: readonly SlotRule[];
}

/** What the api says about a share now (LockShare's computed fields). */
export interface ShareNow extends AccessRule {
  role: 'CO_OWNER' | 'GUEST';
  allowedNow: boolean;
  nextAllowedAt?: string | null;
  allowedUntil?: string | null;
}

export function roleLabel(role: 'CO_OWNER' | 'GUEST' | 'OWNER' | 'ADMIN'): string {
  switch (role) {
    case 'CO_OWNER':
      return 'Co-owner';
    case 'GUEST':
      return 'Guest';
    case 'OWNER':
      return 'Owner';
    case 'ADMIN':
      return 'Administrator';
  }
}

/** "Mon–Fri", "Sat, Sun", "Mon, Wed–Fri", "Every day": runs of three or more days joined by a dash. */
export function daysText(days: readonly WeekdayName[]): string {
  const on = WEEKDAYS.map((day) => days.includes(day));
  if (on.every(Boolean)) return 'Every day';
  const runs: string[] = [];
  for (let i = 0; i < on.length; i += 1) {
    if (!on[i]) continue;
    let end = i;
    while (end + 1 < on.length && on[end + 1]) end += 1;
    const first = WEEKDAY_SHORT[WEEKDAYS[i] as WeekdayName];
    const last = WEEKDAY_SHORT[WEEKDAYS[end] as WeekdayName];
    if (end - i >= 2) runs.push(`${first}–${last}`);
    else runs.push(...WEEKDAYS.slice(i, end + 1).map((day) => WEEKDAY_SHORT[day]));
    i = end;
  }
  return runs.join(', ');
}

function slotText(slot: SlotRule): string {
  const hours = slot.from === '00:00' && slot.to === '24:00' ? 'all day' : `${slot.from}–${slot.to}`;
  return `${daysText(slot.days)} ${hours}`;
}

/** The rule as the owner set it: "Any time", "From 1 Dec 09:00 until 5 Dec 18:00", "Mon–Fri 08:00–18:00". */
export function ruleSummary(rule: AccessRule, timeZone: string, now: number, deviceZone = deviceTimeZone()): string {
  const at = (iso: string) => formatLockTime(Date.parse(iso), timeZone, now, timeZone);
  const parts: string[] = [];
  if (rule.startsAt && rule.endsAt) parts.push(`from ${at(rule.startsAt)} until ${at(rule.endsAt)}`);
  else if (rule.startsAt) parts.push(`from ${at(rule.startsAt)}`);
  else if (rule.endsAt) parts.push(`until ${at(rule.endsAt)}`);
  if (rule.weekly.length > 0) parts.push(rule.weekly.map(slotText).join(', '));
  if (parts.length === 0) return 'Any time';
  const text = parts.join('; ');
  // One zone name at the end rather than after every time.
  const zone = timeZone === deviceZone ? '' : ` (${timeZone} time)`;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${zone}`;
}

/** When the person it is shared with may use the lock, from the api's view of now. */
export function usableText(share: ShareNow, timeZone: string, now: number, deviceZone = deviceTimeZone()): string {
  if (share.role === 'CO_OWNER') return 'Any time';
  const at = (iso: string) => formatLockTime(Date.parse(iso), timeZone, now, deviceZone);
  if (share.allowedNow) return share.allowedUntil ? `Now until ${at(share.allowedUntil)}` : 'Any time';
  return share.nextAllowedAt ? `From ${at(share.nextAllowedAt)}` : 'Expired';
}

/** The message for a command refused with ACCESS_WINDOW_CLOSED. */
export function windowClosedText(nextAllowedAt: string | null, timeZone: string, now: number, deviceZone = deviceTimeZone()): string {
  if (!nextAllowedAt || Number.isNaN(Date.parse(nextAllowedAt))) return 'Your access to this lock has ended: ask its owner to share it again.';
  return `You can use this lock from ${formatLockTime(Date.parse(nextAllowedAt), timeZone, now, deviceZone)}.`;
}

export const ACCESS_WINDOW_CLOSED = 'ACCESS_WINDOW_CLOSED';

/** The message for a guest's command refused outside their access rule; null for any other error. */
export function accessWindowClosedText(error: unknown, timeZone: string, now: number, deviceZone = deviceTimeZone()): string | null {
  if (!(error instanceof ApiError) || error.code !== ACCESS_WINDOW_CLOSED) return null;
  const next = error.extensions.nextAllowedAt;
  return windowClosedText(typeof next === 'string' ? next : null, timeZone, now, deviceZone);
}
