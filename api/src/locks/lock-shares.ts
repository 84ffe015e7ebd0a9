/**
 * The one place a lock's shares (guest access) are revoked when it changes hands: sharing/sharing.service.ts
 * implements it. Each revoked share publishes `lock.accessLost` (SHARE_REVOKED) for its holder.
 */
export interface LockShares {
  /** Revokes every share of the lock; returns how many there were. */
  revokeAll(deviceId: string, reason: 'transferred'): Promise<number>;
}

