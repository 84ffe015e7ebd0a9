/**
 * The one place a lock's shares (guest access) are revoked when it changes hands. Sharing is not
 * built yet (a later issue): there is nothing to revoke, and this is where it will happen. Each
 * revoked share will also publish `lock.accessLost` for its guest.
 */
export interface LockShares {
  /** Revokes every share of the lock; returns how many there were. */
  revokeAll(deviceId: string, reason: 'transferred'): Promise<number>;
}

/** Until sharing exists. */
export const NO_SHARES: LockShares = {
  async revokeAll() {
    return 0;
  },
};
