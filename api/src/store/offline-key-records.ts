/** Bluetooth offline keys (ble/): plain records, like records.ts. The key's secret s is never stored. */

export type OfflineKeyActions = 'L' | 'U' | 'LU';

export interface OfflineKeyRecord {
  /** 16 lowercase hex, unique. */
  kid: string;
  deviceId: string;
  /** The user's id (not their username): it is the capability's `uid`. */
  userId: string;
  act: OfflineKeyActions;
  /** Not before / not after, unix seconds (the capability's `nb`, `na`). */
  nb: number;
  na: number;
  revokedAt: Date | null;
  createdAt: Date;
}

export type NewOfflineKey = Omit<OfflineKeyRecord, 'revokedAt'>;

/** Which unrevoked keys a revocation ends: one lock's (all, one user's, or one key), or one user's everywhere. */
export type OfflineKeyScope = { deviceId: string; userId?: string; kid?: string } | { userId: string };

/** The last revocation list (`blerev`) sent to a lock, and whether the lock acked it. */
export interface BleRevocationListRecord {
  deviceId: string;
  /** `blerev-<uuid>`: the id the lock's ack names. */
  listId: string;
  before: number;
  /** Comma-separated kids, as sent. */
  kids: string;
  sentAt: Date;
  ackedAt: Date | null;
}
