import type { LockShareRecord, NewLockShare, NewShareInvitation, ShareInvitationRecord, ShareWrite } from './lock-share-records.js';

/** Shares of locks and invitations to them. Each change is one conditional write, safe across replicas. */
export interface LockShareRepository {
  /**
   * Shares the lock with `share.guest`, replacing that person's existing share of it (which keeps
   * its id and createdAt). Returns the share as stored.
   */
  put(share: NewLockShare): Promise<LockShareRecord>;
  findById(id: string): Promise<LockShareRecord | null>;
  /** The share of `deviceId` with `guest`, if any. */
  find(deviceId: string, guest: string): Promise<LockShareRecord | null>;
  /** The lock's shares, oldest first. */
  listByDevice(deviceId: string): Promise<LockShareRecord[]>;
  /** Every share `guest` holds, oldest first. */
  listByGuest(guest: string): Promise<LockShareRecord[]>;
  /** New role and rule; null when the share is gone. */
  update(id: string, change: ShareWrite): Promise<LockShareRecord | null>;
  /** Removes one share; returns it, or null when it was already gone. */
  remove(id: string): Promise<LockShareRecord | null>;
  /** Removes every share of the lock and its invitations; returns the shares removed. */
  removeByDevice(deviceId: string): Promise<LockShareRecord[]>;

  createInvitation(invitation: NewShareInvitation): Promise<ShareInvitationRecord>;
  findInvitation(id: string): Promise<ShareInvitationRecord | null>;
  findInvitationByTokenHash(tokenHash: string): Promise<ShareInvitationRecord | null>;
  /** The lock's invitations neither used nor expired at `now`, newest first. */
  listPendingInvitations(deviceId: string, now: Date): Promise<ShareInvitationRecord[]>;
  /** Marks the invitation used by `username` if it is unused and unexpired at `at`; null otherwise. Atomic: single use. */
  useInvitation(id: string, username: string, at: Date): Promise<ShareInvitationRecord | null>;
  /** Deletes an unused invitation; false when it was used or is gone. */
  cancelInvitation(id: string): Promise<boolean>;

  /**
   * Account deletion: the shares `username` holds and the invitations they made go; shares and
   * used invitations naming them as creator or user name `pseudonym` instead.
   */
  forgetUser(username: string, pseudonym: string): Promise<LockShareRecord[]>;
}
