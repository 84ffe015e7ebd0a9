/**
 * The one place that decides what a viewer may do with a lock (the sharing contract's rights table):
 *   OWNER      everything: use, configure, share, transfer, remove, rotate, credentials;
 *   CO_OWNER   use at any time, rename, settings, time zone, full history, sees shares (read-only);
 *   GUEST      use only inside the share's access rule (checked where commands are sent), own history only;
 *   ADMIN      an admin on a lock neither theirs nor shared with them: everything, as before sharing;
 *   none       the lock is NOT_FOUND, exactly like a missing one.
 * An admin keeps admin rights on a lock shared with them; `role` then still says the share's role.
 */
import { ForbiddenError } from '../errors/graphql-errors.js';
import { lockNotFound } from '../locks/lock-access.js';
import type { LockShareRecord } from '../store/lock-share-records.js';
import type { LockRecord, UserRecord } from '../store/records.js';

export type LockRole = 'OWNER' | 'CO_OWNER' | 'GUEST' | 'ADMIN';

/**
 * `view`: see the lock (and, for a guest, only their own activity); `operate`: lock/unlock;
 * `configure`: rename, settings, time zone, full history, diagnostics, the list of shares;
 * `manage`: share, revoke, invite, transfer, remove, rotate, credentials.
 */
export type LockRight = 'view' | 'operate' | 'configure' | 'manage';

type Viewer = Pick<UserRecord, 'username' | 'role'>;

export interface LockAccess {
  lock: LockRecord;
  role: LockRole;
  /** The viewer's share of the lock, when they have one (CO_OWNER, GUEST). */
  share: LockShareRecord | null;
  /** Admin rights (role ADMIN, or an admin holding a share). */
  admin: boolean;
}

/** The viewer's role on the lock given their share of it (if any); null: they may not see it. */
export function roleOn(viewer: Viewer, lock: Pick<LockRecord, 'owner' | 'deviceId'>, share: Pick<LockShareRecord, 'deviceId' | 'guest' | 'role'> | null): LockRole | null {
  if (lock.owner === viewer.username) return 'OWNER';
  if (share && share.guest === viewer.username && share.deviceId === lock.deviceId) return share.role;
  return viewer.role === 'ADMIN' ? 'ADMIN' : null;
}

const RIGHTS: Record<LockRole, ReadonlySet<LockRight>> = {
  OWNER: new Set(['view', 'operate', 'configure', 'manage']),
  ADMIN: new Set(['view', 'operate', 'configure', 'manage']),
  CO_OWNER: new Set(['view', 'operate', 'configure']),
  GUEST: new Set(['view', 'operate']),
};

export function accessOf(viewer: Viewer, lock: LockRecord, share: LockShareRecord | null): LockAccess | null {
  const role = roleOn(viewer, lock, share);
  if (role === null) return null;
  return { lock, role, share: role === 'CO_OWNER' || role === 'GUEST' ? share : null, admin: viewer.role === 'ADMIN' };
}

export function allows(access: Pick<LockAccess, 'role' | 'admin'>, right: LockRight): boolean {
  return access.admin || RIGHTS[access.role].has(right);
}

/** The access if it carries `right`: NOT_FOUND without any access, FORBIDDEN when the role lacks the right. */
export function requireRight(deviceId: string, access: LockAccess | null, right: LockRight): LockAccess {
  if (!access) throw lockNotFound(deviceId);
  if (!allows(access, right)) throw new ForbiddenError(FORBIDDEN_BECAUSE[right]);
  return access;
}

const FORBIDDEN_BECAUSE: Record<LockRight, string> = {
  view: 'You may not see this lock.',
  operate: 'You may not use this lock.',
  configure: 'Only the lock\'s owner or a co-owner may change this lock or see its full history.',
  manage: 'Only the lock\'s owner may do this.',
};

/** Whether a guest's access is limited to their own activity (history, commands). */
export function seesOnlyOwnActivity(access: Pick<LockAccess, 'role' | 'admin'>): boolean {
  return !allows(access, 'configure');
}
