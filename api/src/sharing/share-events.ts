/** Announcing share changes: the local directory forgets at once, other replicas on the event. */
import type { EventBus } from '../events/events.js';
import type { LockShareRecord, ShareRole } from '../store/lock-share-records.js';
import type { Store } from '../store/ports.js';
import type { LockRecord } from '../store/records.js';
import type { ShareDirectory } from './share-directory.js';

export interface ShareEventDeps {
  events: EventBus;
  directory: ShareDirectory;
}

export function announceShareChange(deps: ShareEventDeps, deviceId: string, guest: string, role: ShareRole | null): void {
  deps.directory.forget(guest);
  deps.events.publish('lock.shareChanged', { deviceId, guest, role });
}

/** The guests lost the lock (their share ended); the owner's and admins' sessions keep it. */
export function announceSharesEnded(deps: ShareEventDeps, lock: Pick<LockRecord, 'deviceId' | 'owner'>, shares: readonly LockShareRecord[]): void {
  if (shares.length === 0) return;
  for (const share of shares) announceShareChange(deps, lock.deviceId, share.guest, null);
  const guests = shares.map((s) => s.guest);
  deps.events.publish('lock.accessLost', { deviceId: lock.deviceId, formerOwner: lock.owner, newOwner: lock.owner, reason: 'shareRevoked', at: new Date(), guests });
}

/** Every share of the lock ends (it changed hands): removed, announced; returns them. */
export async function endAllShares(deps: ShareEventDeps & { store: Store }, lock: Pick<LockRecord, 'deviceId' | 'owner'>): Promise<LockShareRecord[]> {
  const shares = await deps.store.lockShares.removeByDevice(lock.deviceId);
  announceSharesEnded(deps, lock, shares);
  return shares;
}
