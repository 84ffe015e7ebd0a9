/** Whether a share lets its holder in now (a CO_OWNER always; a GUEST by the rule in the lock's time zone). */
import type { LockShareRecord } from '../store/lock-share-records.js';
import type { LockRecord } from '../store/records.js';
import { type AccessVerdict, evaluateAccess } from './access-rule.js';

const OPEN: AccessVerdict = { allowed: true, nextAllowedAt: null, allowedUntil: null };

export function shareVerdict(share: LockShareRecord, lock: Pick<LockRecord, 'timeZone'>, now: Date): AccessVerdict {
  if (share.role === 'CO_OWNER') return OPEN;
  try {
    return evaluateAccess(share, lock.timeZone, now);
  } catch {
    // A time zone this runtime no longer knows (set under another Node): read as UTC rather than lock everyone out.
    return evaluateAccess(share, 'UTC', now);
  }
}

/** A rule that will never let its holder in again: narrowing a share to this ends it for them. */
export function neverOpensAgain(share: LockShareRecord, lock: Pick<LockRecord, 'timeZone'>, now: Date): boolean {
  const verdict = shareVerdict(share, lock, now);
  return !verdict.allowed && verdict.nextAllowedAt === null;
}
