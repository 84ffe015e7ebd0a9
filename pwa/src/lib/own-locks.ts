import type { Lock } from './locks-store';

/**
 * The locks `username` owns. The locks store holds every lock the viewer may see (for an admin
 * every lock, live), so "My locks" is this view of it: a lock changed live, reassigned to or from
 * the viewer, shows or leaves here by its owner like any other.
 */
export function ownLocks(locks: readonly Lock[], username: string): Lock[] {
  return locks.filter((lock) => lock.owner.username === username);
}
