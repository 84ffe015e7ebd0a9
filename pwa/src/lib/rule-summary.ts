/** A share's access rule as the owner set it, in words: "Mon–Fri 08:00–18:00; until 24 Dec 18:00". */
import type { AccessRule, SlotRule } from './share-rule';
import { WEEKDAY_SHORT, WEEKDAYS, type WeekdayName } from './weekdays';
import { deviceTimeZone, formatLockTime } from './zoned-time';

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
