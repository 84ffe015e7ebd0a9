/**
 * For the person a lock is shared with: when they may use it ("Now until Fri 18:00", "From Mon
 * 08:00", "Expired"). Times are the lock's: its time zone is named when it is not the device's. The
 * owner's summary of a rule is in rule-summary.ts (kept out of the first screen's bundle).
 */
import type { WeekdayName } from './weekdays';
import { ApiError } from './graphql-http';
import { deviceTimeZone, formatLockTime } from './zoned-time';

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
