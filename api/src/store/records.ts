/**
 * Plain records the store keeps. They are the domain's vocabulary and carry no
 * GraphQL or database decorations: adapters map them to rows/documents.
 */

export type Role = 'USER' | 'ADMIN';
export const ROLES: readonly Role[] = ['USER', 'ADMIN'];

export interface UserRecord {
  id: string;
  /** Case-folded, unique, never changes: locks refer to their owner by it. */
  username: string;
  passwordHash: string;
  role: Role;
  /** Part of every access token; bumping it revokes all of a user's tokens. */
  tokenVersion: number;
  createdAt: Date;
}
export type NewUser = Pick<UserRecord, 'username' | 'passwordHash' | 'role'>;

/** One refresh token. Rotation makes a chain of sessions sharing a `familyId`. */
export interface SessionRecord {
  id: string;
  familyId: string;
  userId: string;
  /** SHA-256 of the opaque refresh token; the token itself is never stored. */
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  /** When the session line (the family) began: the sign-in. Each rotation copies it. */
  familyCreatedAt: Date;
  /** The browser's User-Agent when this token was issued (bounded), for the sessions list. */
  userAgent: string | null;
  /** The client address (TRUST_PROXY hops applied) when this token was issued. */
  clientAddress: string | null;
  /** When the session last proved a password, second factor or passkey (step-up); each rotation copies it. */
  authenticatedAt: Date;
}
/** `familyCreatedAt` and `authenticatedAt` default to now (a sign-in); a rotation passes the line's own. */
export type NewSession = Pick<SessionRecord, 'familyId' | 'userId' | 'tokenHash' | 'expiresAt'> &
  Partial<Pick<SessionRecord, 'familyCreatedAt' | 'userAgent' | 'clientAddress' | 'authenticatedAt'>>;

/** A user's authenticator app (TOTP, RFC 6238): on once confirmed with a code. */
export interface TotpRecord {
  userId: string;
  /** The base32 secret sealed like device secrets (devices/device-keys.ts, bound to `totp:<userId>`). */
  secretSealed: string;
  /** Null while enrolment waits for its first code: sign-in does not ask for one yet. */
  confirmedAt: Date | null;
  /** The last time step accepted: a code is good once (no step at or below it passes again). */
  lastStep: number;
  /** SHA-256 (hex) of each unused recovery code. */
  recoveryHashes: string[];
}

/**
 * A one-time account recovery link (issue 14 item 4): only the SHA-256 of its token is kept; one per
 * user (issuing a new one replaces the old), consumed by its first use.
 */
export interface RecoveryTokenRecord {
  userId: string;
  tokenHash: string;
  /** Who issued it: an admin from the CLI, or the user's verified email address ("Forgot password?"). */
  issuedBy: 'admin' | 'email';
  /** Only an admin link may remove the second factor, and only when issued with that flag. */
  resetSecondFactor: boolean;
  createdAt: Date;
  expiresAt: Date;
}

/** A user's email address for recovery; usable only once `verifiedAt` is set (by an emailed one-time link). */
export interface UserEmailRecord {
  userId: string;
  /** Trimmed and lower-cased. */
  address: string;
  verifiedAt: Date | null;
  /** SHA-256 of the pending verification link's token; null once verified. */
  verifyTokenHash: string | null;
  verifyExpiresAt: Date | null;
}
/** A user's passkey (WebAuthn credential): a sign-in method, a second factor and a step-up proof. */
export interface PasskeyRecord {
  /** Ours (a UUID), for the GraphQL api; the authenticator's id is `credentialId`. */
  id: string;
  userId: string;
  /** The credential id, base64url, unique across users. */
  credentialId: string;
  /** The COSE public key, base64url. Public: it is not a secret. */
  publicKey: string;
  /** The authenticator's signature counter at its last use (0: it keeps none). */
  counter: number;
  /** Hints for the browser (usb, nfc, ble, internal, hybrid). */
  transports: string[];
  /** The name the user gave it. */
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type NewPasskey = Omit<PasskeyRecord, 'id' | 'createdAt' | 'lastUsedAt'> & { createdAt?: Date };

export type LockStatus = 'LOCKED' | 'UNLOCKED' | 'JAMMED' | 'UNKNOWN';
export type LockState = 'AVAILABLE' | 'UNAVAILABLE';
export type PowerSource = 'MAINS' | 'BATTERY' | 'LOW';
/** Protocol v2 (docs/protocol.md §11): the door, the bolt while it moves, and what moved it last. */
export type DoorState = 'OPEN' | 'CLOSED' | 'UNKNOWN';
export type BoltMotion = 'LOCKING' | 'UNLOCKING';
export type ChangeSource = 'REMOTE' | 'MANUAL' | 'AUTO' | 'BLE' | 'BOOT';
/** The protocol version the server speaks to a lock: 1 until the lock's hello chose 2 or 3 (devices/protocol/versions.ts). */
export type ProtocolVersion = 1 | 2 | 3;
/** Conditions worth a person's attention (issue 10 item 5); see alerts/alert-rules.ts. */
export type LockAlertKind = 'DOOR_AJAR' | 'LEFT_UNLOCKED' | 'LOCKED_DOOR_OPEN' | 'BAD_SIGNATURES';
export const LOCK_ALERT_KINDS: readonly LockAlertKind[] = ['DOOR_AJAR', 'LEFT_UNLOCKED', 'LOCKED_DOOR_OPEN', 'BAD_SIGNATURES'];
/** Door ajar alerts are on at 10 minutes for a new lock (see migration 6); left unlocked is off. */
export const DEFAULT_DOOR_AJAR_MINUTES = 10;
/** An alert in force, raised at `since` (server clock). */
export interface LockAlert {
  kind: LockAlertKind;
  since: Date;
}

export interface LockRecord {
  deviceId: string;
  name: string;
  /** Username of the owner (the seed system stored usernames too). */
  owner: string;
  status: LockStatus;
  state: LockState;
  lastSeen: Date | null;
  issue: string | null;
  battery: number | null;
  power: PowerSource | null;
  /**
   * The heartbeat interval the lock announced (v3 status member `hb`, 9 … 300 s); null when it
   * said nothing, which is the 9 s mains rule. The offline sweep follows it (docs/protocol.md §13.4).
   */
  heartbeatS: number | null;
  rssi: number | null;
  firmware: string | null;
  /** Device secret sealed with AES-256-GCM; only the secrets module opens it. */
  secretSealed: string;
  /** Highest command counter allocated (or reported by the lock). */
  commandCounter: number;
  /** Last accepted status (boot, seq): anything not above it is a replay. */
  lastBoot: number;
  lastSeq: number;
  /**
   * The `ts` (lock clock, unix s) of that status, 0 if none. With `lastSeen` it
   * maps the lock's clock onto ours, so that after a restart the server can tell
   * a status sent before it started (docs/protocol.md §6, restarts).
   */
  lastTs: number;
  /** Chosen by the lock's last hello (docs/protocol.md §11.3); 1 for a lock that never said hello. */
  protocolVersion: ProtocolVersion;
  /** The `boot` of that hello, 0 if none: a v1 status of another boot means the lock went back to v1. */
  protocolBoot: number;
  /** Set when the lock first logs in over TLS (embedded broker): plain MQTT logins are refused for it from then on. */
  tlsRequired: boolean;
  /**
   * Over-the-air secret rotation (docs/protocol.md §13.3), null when none is under way. `rekeyId`
   * names the rotation (its pad and its ack); `secretPendingSealed` is the new K, stored before the
   * `rekey` is sent and until the lock acks it; `secretPreviousSealed` is the old K after the server
   * switched (on the ack), kept until the lock proves the new one.
   */
  rekeyId: string | null;
  secretPendingSealed: string | null;
  secretPreviousSealed: string | null;
  rekeyStartedAt: Date | null;
  /** From v2 statuses only; null for a v1 lock. */
  door: DoorState | null;
  /** Set while a v2 lock reports LOCKING/UNLOCKING; `status` keeps the last settled position. */
  boltMotion: BoltMotion | null;
  lastChangeSource: ChangeSource | null;
  /** The command id that moved the bolt when `lastChangeSource` is REMOTE. */
  lastChangedBy: string | null;
  /** When the settled bolt or what moved it last changed (our clock); null until then. */
  lastChangedAt: Date | null;
  /** Server time the door was first reported OPEN in the current opening; null while it is not open. */
  doorOpenSince: Date | null;
  /** Server time the bolt was first reported UNLOCKED in the current stretch; null while it is not. */
  unlockedSince: Date | null;
  /** Owner's alert thresholds in minutes; null turns that alert off. */
  alertDoorAjarMinutes: number | null;
  alertUnlockedMinutes: number | null;
  /** Alerts in force, in the order raised. Changed only by `replaceAlerts` (compare-and-set). */
  alerts: LockAlert[];
  /** IANA time zone the owner set (shares' weekly schedules are in it); "UTC" until then. */
  timeZone: string;
  createdAt: Date;
  updatedAt: Date;
}
/**
 * A lock with no device secret: a document carried over from the Flask system, which kept none.
 * It cannot log in or take commands until its owner issues credentials (rotateDeviceSecret).
 */
export const NEEDS_PROVISIONING_ISSUE = 'Needs re-provisioning';
export function needsProvisioning(lock: Pick<LockRecord, 'secretSealed'>): boolean {
  return lock.secretSealed === '';
}

export type NewLock = Pick<LockRecord, 'deviceId' | 'name' | 'owner' | 'secretSealed'>;

/** A lock that joined by its claim code (docs/protocol.md "Claiming"); gone with the lock. */
export interface ClaimRecord {
  /** 16 lowercase hex characters, from the code on the lock's box. */
  factoryId: string;
  deviceId: string;
  /** HKDF "verifier" key of the claim secret, hex: recognises the code again, signs and decrypts nothing. */
  verifier: string;
  claimedBy: string;
  claimedAt: Date;
  /** When the lock first came online with its new credentials; null while the claim message waits for it. */
  completedAt: Date | null;
}

export type NewClaim = Pick<ClaimRecord, 'factoryId' | 'deviceId' | 'verifier' | 'claimedBy'>;

/** Fields a status message, a sweep or an admin may change. */
export type LockPatch = Partial<
  Pick<
    LockRecord,
    | 'name'
    | 'owner'
    | 'status'
    | 'state'
    | 'lastSeen'
    | 'issue'
    | 'battery'
    | 'power'
    | 'heartbeatS'
    | 'rssi'
    | 'firmware'
    | 'secretSealed'
    | 'rekeyId'
    | 'secretPendingSealed'
    | 'secretPreviousSealed'
    | 'rekeyStartedAt'
    | 'protocolVersion'
    | 'protocolBoot'
    | 'tlsRequired'
    | 'door'
    | 'boltMotion'
    | 'lastChangeSource'
    | 'lastChangedBy'
    | 'lastChangedAt'
    | 'doorOpenSince'
    | 'unlockedSince'
    | 'alertDoorAjarMinutes'
    | 'alertUnlockedMinutes'
    | 'timeZone'
  >
>;

/** A status accepted only if (boot, seq) is above the stored pair. */
export interface StatusUpdate {
  deviceId: string;
  boot: number;
  seq: number;
  /** The status's `ts`, stored with the pair; absent keeps the stored one. */
  ts?: number;
  patch: LockPatch;
}

/** What a v2 lock does at boot, and whether it throws its bolt into an open door (docs/protocol.md §11.8). */
export type BootAction = 'STAY' | 'LOCK';
export type LockOpenPolicy = 'REFUSE' | 'ALLOW';
/** The owner's wanted lock-side behaviour, in the `cfg` message's terms. */
export interface LockSettingsValues {
  /** Auto-relock after this many seconds, 0 = off. */
  relock: number;
  boot: BootAction;
  lockOpen: LockOpenPolicy;
}
/** The settings wanted for one lock and how far the lock has taken them. */
export interface LockSettingsRecord extends LockSettingsValues {
  deviceId: string;
  /** Bumped by every change, so a cfg sent for an older one cannot be recorded as the current one. */
  revision: number;
  /** The last cfg sent for this revision; only its ack counts. */
  cfgId: string | null;
  /** The lock acked that cfg with `ok`. */
  applied: boolean;
  /** The lock's reason when it rejected that cfg. */
  rejectedReason: string | null;
  updatedBy: string;
  updatedAt: Date;
  appliedAt: Date | null;
}
/** A lock's answer to a cfg. */
export type CfgAnswer = { ok: true } | { ok: false; reason: string };

/**
 * One point of a lock's diagnostics history. Not every heartbeat: diagnostics/diagnostics-sampler.ts
 * keeps one per lock every few minutes plus each change of availability, battery band or boot.
 */
export interface DiagnosticsPoint {
  deviceId: string;
  /** Server clock. */
  at: Date;
  online: boolean;
  /** Null while offline or when the lock reports none. */
  battery: number | null;
  rssi: number | null;
  /** Seconds since the lock's boot, as it reported them at `at`. */
  uptime: number | null;
  /** The lock's boot counter then: an uptime counts only within its boot. */
  boot: number | null;
}

export type CommandAction = 'LOCK' | 'UNLOCK';
/** SUPERSEDED: a newer command for the same lock was asked for while this one was SENT. */
export type CommandState = 'SENT' | 'SUCCEEDED' | 'REJECTED' | 'FAILED' | 'TIMED_OUT' | 'SUPERSEDED';

export interface CommandRecord {
  id: string;
  deviceId: string;
  action: CommandAction;
  state: CommandState;
  counter: number;
  /** Username of whoever asked. */
  requestedBy: string;
  createdAt: Date;
  completedAt: Date | null;
  reason: string | null;
}
export type NewCommand = Pick<CommandRecord, 'id' | 'deviceId' | 'action' | 'counter' | 'requestedBy'>;
/** Merges repeats of one request: one command per (lock, user, key) created since `since`. */
export interface IdempotencyClaim {
  key: string;
  since: Date;
}

export interface AuditRecord {
  id: string;
  at: Date;
  /** Username, or null for the system (sweeps, the broker). */
  actor: string | null;
  action: string;
  deviceId: string | null;
  result: string;
  detail: string | null;
}
export type NewAudit = Omit<AuditRecord, 'id' | 'at'> & { at?: Date };

export interface AuditFilter {
  deviceId?: string;
  /**
   * A lock named so, or a device id, without regard to case: entries about the device whose id is
   * this, or about any lock whose current name is this (an admin types what people call it).
   */
  device?: string;
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /**
   * A non-admin viewer's scope: entries by this actor, or about one of these
   * devices made since `since` (its current registration: a device id that
   * another user registered and removed before keeps that user's history).
   */
  scope?: { devices: ScopedDevice[]; actor: string };
}

export interface ScopedDevice {
  deviceId: string;
  since: Date;
}

export interface PageRequest {
  first: number;
  /** Opaque cursor from a previous page's `endCursor`. */
  after?: string;
}
export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  endCursor: string | null;
}
