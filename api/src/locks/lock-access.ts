import { NotFoundError } from '../errors/graphql-errors.js';
import type { LockRecord, UserRecord } from '../store/records.js';

/** Owner or admin: the lock's own people. Shares are looked up separately (sharing/lock-role.ts). */
export function canSeeLock(viewer: Pick<UserRecord, 'username' | 'role'>, lock: Pick<LockRecord, 'owner'>): boolean {
  return viewer.role === 'ADMIN' || lock.owner === viewer.username;
}

/** Someone else's lock is reported exactly like a missing one: its existence is not revealed. */
export function lockNotFound(deviceId: string): NotFoundError {
  return new NotFoundError(`Lock "${deviceId}"`);
}

/**
 * Whether `viewer` could see the lock before the change and cannot after it: the former owner,
 * unless an admin (admins see every lock that still exists); everyone who could see a removed lock.
 */
export function lostAccess(viewer: Pick<UserRecord, 'username' | 'role'>, change: { formerOwner: string; newOwner: string | null; guests?: string[] }): boolean {
  // A guest whose share ended: unless they still see the lock as its (new) owner or as an admin.
  if (change.guests?.includes(viewer.username) && change.newOwner !== viewer.username && (viewer.role !== 'ADMIN' || change.newOwner === null)) return true;
  return canSeeLock(viewer, { owner: change.formerOwner }) && (change.newOwner === null || !canSeeLock(viewer, { owner: change.newOwner }));
}
