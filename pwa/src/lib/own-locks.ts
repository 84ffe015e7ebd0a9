import type { Lock } from './locks-store';
import { roleOn } from './lock-access';

/**
 * The locks `username` owns, and those shared with them (as co-owner or guest). The locks store
 * holds every lock the viewer may see (for an admin every lock, live), so "My locks" is this view of
 * it: a lock changed live, reassigned, shared or unshared shows or leaves here like any other.
 */
export function ownLocks(locks: readonly Lock[], username: string): Lock[] {
  return locks.filter((lock) => {
    const role = roleOn(lock, username);
    // An admin's role on a lock that is also theirs is OWNER; on someone else's ADMIN, which stays out.
    return lock.owner.username === username || role === 'CO_OWNER' || role === 'GUEST';
  });
}
