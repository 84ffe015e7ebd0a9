import type { LockTransferRecord, NewLockTransfer } from './lock-transfer-records.js';
import type { LockRecord } from './records.js';

/** Offers of a lock to another user. Every change is one conditional write (or transaction), safe across replicas. */
export interface LockTransferRepository {
  /**
   * Stores an OPEN offer. An OPEN offer of the same lock that expired by `offer.createdAt` is
   * marked EXPIRED first, and one made by someone else (a former owner: the lock was reassigned
   * since) CANCELLED. Atomic: one unexpired OPEN offer per lock.
   * @throws DuplicateKeyError('deviceId') while the lock has an unexpired OPEN offer
   */
  create(offer: NewLockTransfer): Promise<LockTransferRecord>;
  findById(id: string): Promise<LockTransferRecord | null>;
  /** OPEN offers not expired at `now` made by or to `username`, newest first. */
  listOpen(username: string, now: Date): Promise<LockTransferRecord[]>;
  /** OPEN and not expired at `at` → `state`; null (nothing written) when it was not. Atomic. */
  end(id: string, state: 'DECLINED' | 'CANCELLED', at: Date): Promise<LockTransferRecord | null>;
  /**
   * Acceptance: the offer OPEN and not expired at `at`, and its lock still owned by `fromUser`,
   * becomes ACCEPTED and the lock's owner `toUser`. Null (nothing changed) otherwise. SQLite: one
   * transaction. MongoDB (no multi-document transactions on a standalone server): the offer first,
   * then the lock only while `fromUser` owns it; if that fails the offer is CANCELLED.
   */
  accept(id: string, at: Date): Promise<{ offer: LockTransferRecord; lock: LockRecord } | null>;
  /** When each of `deviceIds` that has one was last transferred (its owner's history starts there). */
  lastAccepted(deviceIds: readonly string[]): Promise<Map<string, Date>>;
  /** Account deletion: offers by or to `username` that are OPEN go; ended ones name `pseudonym` instead. */
  forgetUser(username: string, pseudonym: string): Promise<void>;
}
