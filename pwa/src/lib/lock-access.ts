/**
 * What the viewer may do with a lock, from their role on it (`myRole`): the app hides what the api
 * would refuse. The api decides; this only keeps buttons that cannot work off the screen.
 */
import type { LockRole } from '../gql/graphql';
import type { Lock } from './locks-store';

export interface LockAbilities {
  role: LockRole;
  /** Share, change or revoke shares, invitations, transfer, remove, rotate the secret. */
  manage: boolean;
  /** Rename, settings, time zone; the full history and the list of shares (read-only for a co-owner). */
  configure: boolean;
  /** The lock is someone else's and shared with the viewer: they may leave it. */
  shared: boolean;
}

/**
 * The viewer's role; a lock cached by an older version of the app has none, and was then the
 * viewer's own or (for an admin) someone else's.
 */
export function roleOn(lock: Pick<Lock, 'owner'> & { myRole?: LockRole | null }, username: string): LockRole {
  return lock.myRole ?? (lock.owner.username === username ? 'OWNER' : 'ADMIN');
}

export function abilitiesOn(lock: Pick<Lock, 'owner'> & { myRole?: LockRole | null }, username: string): LockAbilities {
  const role = roleOn(lock, username);
  switch (role) {
    case 'OWNER':
    case 'ADMIN':
      return { role, manage: true, configure: true, shared: false };
    case 'CO_OWNER':
      return { role, manage: false, configure: true, shared: true };
    case 'GUEST':
      return { role, manage: false, configure: false, shared: true };
  }
}

/** The lock's time zone ("UTC" for a lock cached before locks had one). */
export function lockTimeZone(lock: { deviceId: string; timeZone?: string | null }): string {
  return lock.timeZone || 'UTC';
}
