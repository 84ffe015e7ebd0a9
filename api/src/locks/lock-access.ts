import { NotFoundError } from '../errors/graphql-errors.js';
import type { LockRecord, UserRecord } from '../store/records.js';

export function canSeeLock(viewer: Pick<UserRecord, 'username' | 'role'>, lock: Pick<LockRecord, 'owner'>): boolean {
  return viewer.role === 'ADMIN' || lock.owner === viewer.username;
}

/** Someone else's lock is reported exactly like a missing one: its existence is not revealed. */
export function lockNotFound(deviceId: string): NotFoundError {
  return new NotFoundError(`Lock "${deviceId}"`);
}
