/** Ownership transfer offers (locks/lock-transfers.service.ts): plain records, like records.ts. */

/**
 * OPEN until the recipient accepts or declines, the owner cancels, or it expires. An OPEN offer
 * past `expiresAt` is expired whatever its stored state says; the store writes EXPIRED only when
 * the lock gets a new offer.
 */
export type LockTransferState = 'OPEN' | 'ACCEPTED' | 'DECLINED' | 'CANCELLED' | 'EXPIRED';

export interface LockTransferRecord {
  id: string;
  deviceId: string;
  /** The owner who made the offer (the lock's owner when it was made). */
  fromUser: string;
  toUser: string;
  state: LockTransferState;
  createdAt: Date;
  expiresAt: Date;
  /** When it was accepted, declined or cancelled; null while OPEN (and for EXPIRED). */
  endedAt: Date | null;
}

export type NewLockTransfer = Pick<LockTransferRecord, 'id' | 'deviceId' | 'fromUser' | 'toUser' | 'createdAt' | 'expiresAt'>;
