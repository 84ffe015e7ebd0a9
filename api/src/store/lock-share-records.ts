/** Shares of a lock with other users and invitations to one (sharing/): plain records, like records.ts. */

/** CO_OWNER: uses and configures the lock at any time. GUEST: uses it only inside its access rule. */
export type ShareRole = 'CO_OWNER' | 'GUEST';

/** Same names as sharing/access-rule.ts's Weekday (kept here so the store depends on nothing above it). */
export type StoredWeekday = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';

export interface StoredWeeklySlot {
  days: StoredWeekday[];
  /** "HH:MM" wall time in the lock's time zone. */
  from: string;
  /** "HH:MM", may be "24:00"; later than `from`. */
  to: string;
}

/** When a GUEST may use the lock (sharing/access-rule.ts decides); ignored for a CO_OWNER. */
export interface StoredAccessRule {
  startsAt: Date | null;
  endsAt: Date | null;
  weekly: StoredWeeklySlot[];
}

export interface LockShareRecord extends StoredAccessRule {
  id: string;
  deviceId: string;
  /** Username of the person the lock is shared with; one share per (deviceId, guest). */
  guest: string;
  role: ShareRole;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What a new share or a change of one carries; `at` stamps it. */
export interface ShareWrite {
  role: ShareRole;
  rule: StoredAccessRule;
  at: Date;
}

export interface NewLockShare extends ShareWrite {
  id: string;
  deviceId: string;
  guest: string;
  createdBy: string;
}

/** A link that makes whoever opens it first a sharer of the lock. Only the token's SHA-256 is kept. */
export interface ShareInvitationRecord extends StoredAccessRule {
  id: string;
  deviceId: string;
  /** Hex SHA-256 of the token in the link. */
  tokenHash: string;
  role: ShareRole;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  usedBy: string | null;
}

export type NewShareInvitation = Omit<ShareInvitationRecord, 'usedAt' | 'usedBy'>;
