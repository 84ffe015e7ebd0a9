/**
 * Repository interfaces: the only way the domain reaches storage. SQLite and
 * MongoDB adapters implement them; `store.contract.ts` holds both to the same
 * behaviour. Every method that must be safe across api replicas says so.
 */
import type { OfflineKeyRepository } from './offline-key-port.js';
import type {
  AuditFilter,
  ClaimRecord,
  NewClaim,
  CfgAnswer,
  LockSettingsRecord,
  LockSettingsValues,
  AuditRecord,
  CommandRecord,
  CommandState,
  DiagnosticsPoint,
  IdempotencyClaim,
  LockAlert,
  LockPatch,
  LockRecord,
  NewAudit,
  NewCommand,
  NewLock,
  NewSession,
  NewUser,
  Page,
  PageRequest,
  Role,
  SessionRecord,
  TotpRecord,
  RecoveryTokenRecord,
  UserEmailRecord,
  PasskeyRecord,
  NewPasskey,
  StatusUpdate,
  UserRecord,
} from './records.js';
import type { NewPushSubscription, PushKind, PushPreferenceRecord, PushSubscriptionRecord } from './push-records.js';
import type { FirmwareRepository } from './firmware-port.js';
import type { LockShareRepository } from './lock-share-port.js';
import type { LockTransferRepository } from './lock-transfer-port.js';

export interface UserRepository {
  /** @throws DuplicateKeyError('username') */
  create(user: NewUser): Promise<UserRecord>;
  findById(id: string): Promise<UserRecord | null>;
  findByUsername(username: string): Promise<UserRecord | null>;
  list(): Promise<UserRecord[]>;
  setRole(username: string, role: Role): Promise<UserRecord | null>;
  setPasswordHash(username: string, passwordHash: string): Promise<UserRecord | null>;
  /** Atomically increments the token version; returns the new one (null if no user). */
  bumpTokenVersion(userId: string): Promise<number | null>;
  /**
   * After a restore: sets every user's token version to at least `atLeast` and above its stored one,
   * so that no access token issued before (even after the backup was taken) matches. Returns how
   * many users it changed.
   */
  invalidateAllTokenVersions(atLeast: number): Promise<number>;
  /** Account deletion; the caller removes the user's locks first (they refer to the username). */
  remove(userId: string): Promise<boolean>;
}

export interface SessionRepository {
  create(session: NewSession): Promise<SessionRecord>;
  findByTokenHash(tokenHash: string): Promise<SessionRecord | null>;
  /**
   * Marks a session rotated if it is still live (not rotated, not revoked).
   * Atomic: of two concurrent callers exactly one gets `true`.
   */
  markRotated(id: string, at: Date): Promise<boolean>;
  /** Marks a live session revoked; false if it already was rotated or revoked. */
  revoke(id: string, at: Date): Promise<boolean>;
  revokeFamily(familyId: string, at: Date): Promise<void>;
  /** Revokes every session of the user; with `exceptFamilyId`, that line is kept (a password change keeps the session making it). */
  revokeAllForUser(userId: string, at: Date, exceptFamilyId?: string): Promise<void>;
  /** Records a fresh proof of identity on every unrevoked session of the line (step-up); false if none is left. */
  markAuthenticated(familyId: string, at: Date): Promise<boolean>;
  /** The user's current tokens, one per live line: neither rotated nor revoked nor expired at `now`; newest first. */
  listLive(userId: string, now: Date): Promise<SessionRecord[]>;
  /** Whether the line still has a session that is not revoked and not expired at `now` (access tokens of an ended line stop working). */
  isFamilyLive(familyId: string, now: Date): Promise<boolean>;
  /**
   * Retention: deletes at most `limit` sessions that expired before `before`
   * (rotated and revoked ones are kept until then: reuse detection needs them).
   * Returns how many it deleted; fewer than `limit` means none are left.
   */
  deleteExpired(before: Date, limit: number): Promise<number>;
}

export interface TotpRepository {
  find(userId: string): Promise<TotpRecord | null>;
  /** Starts (or restarts) enrolment with a new secret; false when a confirmed one exists (it is never replaced). */
  saveUnconfirmed(userId: string, secretSealed: string): Promise<boolean>;
  /** Turns an unconfirmed enrolment on with its recovery codes and the step of its first code; false if none waits. */
  confirm(userId: string, recoveryHashes: string[], step: number, at: Date): Promise<boolean>;
  /** Accepts `step` once: atomically, only when it is above the last accepted step of a confirmed enrolment. */
  useStep(userId: string, step: number): Promise<boolean>;
  /** Removes one unused recovery code atomically; false when it is not (or no longer) there. */
  useRecoveryCode(userId: string, hash: string): Promise<boolean>;
  remove(userId: string): Promise<boolean>;
  /** Every enrolment's sealed secret (a SECRETS_KEYS rotation re-seals them). */
  listSealed(): Promise<{ userId: string; secretSealed: string }[]>;
  /** Compare-and-set: replaces the sealed secret only while it is still `expected`. */
  replaceSealed(userId: string, expected: string, next: string): Promise<boolean>;
}

export interface RecoveryTokenRepository {
  /** Stores the user's one recovery token, replacing any older one (which stops working). */
  replace(token: RecoveryTokenRecord): Promise<void>;
  /** The token if it exists and has not expired at `now` (it stays usable). */
  find(tokenHash: string, now: Date): Promise<RecoveryTokenRecord | null>;
  /** Atomically removes and returns the token if it exists and has not expired at `now`: of two concurrent callers one gets it. */
  consume(tokenHash: string, now: Date): Promise<RecoveryTokenRecord | null>;
  removeForUser(userId: string): Promise<void>;
}

export interface UserEmailRepository {
  find(userId: string): Promise<UserEmailRecord | null>;
  /** Sets (or replaces) the user's address as unverified, waiting for the link whose token hashes to `verifyTokenHash`. */
  setUnverified(userId: string, address: string, verifyTokenHash: string, verifyExpiresAt: Date): Promise<UserEmailRecord>;
  /** Marks the address whose pending link this is verified, once, if not expired at `now`; null otherwise. */
  verify(verifyTokenHash: string, now: Date): Promise<UserEmailRecord | null>;
  /** Users whose verified address is `address` (lower-case). */
  findVerifiedByAddress(address: string): Promise<UserEmailRecord[]>;
  remove(userId: string): Promise<boolean>;
}

export interface PasskeyRepository {
  /** @throws DuplicateKeyError('credentialId') */
  create(passkey: NewPasskey): Promise<PasskeyRecord>;
  listByUser(userId: string): Promise<PasskeyRecord[]>;
  findByCredentialId(credentialId: string): Promise<PasskeyRecord | null>;
  /** Null when `id` is not one of `userId`'s passkeys. */
  rename(userId: string, id: string, name: string): Promise<PasskeyRecord | null>;
  /** The removed passkey, or null when `id` is not one of `userId`'s. */
  remove(userId: string, id: string): Promise<PasskeyRecord | null>;
  /**
   * Compare-and-set of the signature counter with the use's time: only while the stored counter is
   * still `expected` (of two racing uses of one assertion, one wins). False otherwise or when gone.
   */
  recordUse(id: string, expected: number, next: number, at: Date): Promise<boolean>;
  /**
   * Marks a WebAuthn challenge used until `expiresAt`: true the first time, false ever after (of two
   * racing answers to one challenge, one wins). Forgets challenges expired at `now`.
   */
  useChallenge(challenge: string, expiresAt: Date, now: Date): Promise<boolean>;
}

export interface LockRepository {
  /** @throws DuplicateKeyError('deviceId') */
  create(lock: NewLock): Promise<LockRecord>;
  findByDeviceId(deviceId: string): Promise<LockRecord | null>;
  /** The locks among `deviceIds` that exist, in no particular order (one read for a whole GraphQL request). */
  findByDeviceIds(deviceIds: readonly string[]): Promise<LockRecord[]>;
  listByOwner(owner: string): Promise<LockRecord[]>;
  listAll(): Promise<LockRecord[]>;
  /** Every lock in device id order, a page at a time (an admin's `locks(first:)`). @throws InvalidCursorError */
  listPage(page: PageRequest): Promise<Page<LockRecord>>;
  update(deviceId: string, patch: LockPatch): Promise<LockRecord | null>;
  remove(deviceId: string): Promise<boolean>;
  /** Atomically increments and returns the lock's command counter (null if no lock). */
  allocateCounter(deviceId: string): Promise<number | null>;
  /** Raises the counter to `atLeast` if it is lower (a lock reported a higher one). */
  raiseCounter(deviceId: string, atLeast: number): Promise<void>;
  /**
   * Key rotation: stores `next` as the lock's sealed secret only while it still holds `expected`
   * (a secret rotated meanwhile is never overwritten with a re-sealed old one). True if replaced.
   */
  replaceSealedSecret(deviceId: string, expected: string, next: string): Promise<boolean>;
  /**
   * Applies a status only if its (boot, seq) is above the stored pair, also
   * storing the pair. Returns the updated lock, or null when it was not newer
   * (a replay or a duplicate) or the lock does not exist. Atomic.
   */
  applyStatus(update: StatusUpdate): Promise<LockRecord | null>;
  /**
   * The same for many heartbeats at once (coalesced lastSeen writes), in one
   * transaction. Returns the device ids that were applied.
   */
  applyStatuses(updates: StatusUpdate[]): Promise<string[]>;
  /**
   * AVAILABLE locks whose lastSeen is before `before`, oldest first, served by
   * the (state, lastSeen) index so cost follows the result, not the fleet.
   */
  findStale(before: Date, limit: number): Promise<LockRecord[]>;
  /**
   * Marks a lock UNAVAILABLE with an issue if it is still AVAILABLE and not seen after `before`.
   * Atomic. A status seen in the same millisecond counts as before: one read can carry a lock's
   * last status and its will, and the will is handled after it.
   */
  markUnavailableIfStale(deviceId: string, before: Date, issue: string): Promise<LockRecord | null>;
  /**
   * Marks up to `limit` AVAILABLE locks UNAVAILABLE with `issue` and returns
   * them; call again until it returns fewer than `limit`. Served by the
   * (state, lastSeen) index. For start-up with the embedded broker, when no
   * lock connection can have survived and nothing else writes locks yet.
   */
  markAllUnavailable(issue: string, limit: number): Promise<LockRecord[]>;
  /**
   * Marks a lock UNAVAILABLE with an issue unless a status was accepted at or
   * after `since` (lastSeen ≥ since: another replica saw a newer one). Null when
   * it was, when the lock already is UNAVAILABLE with that issue, or when there
   * is no lock. Atomic.
   */
  markUnavailableUnlessSeenSince(deviceId: string, since: Date, issue: string): Promise<LockRecord | null>;
  /**
   * Compare-and-set of a lock's alerts: writes `next` only if the stored list
   * still equals `expected` (kinds and times, in order). Null when it did not
   * (another replica changed them first) or there is no lock. Atomic: of
   * concurrent callers from one `expected`, exactly one wins.
   */
  replaceAlerts(deviceId: string, expected: LockAlert[], next: LockAlert[]): Promise<LockRecord | null>;
  /**
   * Up to `limit` locks, by device id after `afterDeviceId`, whose alerts may
   * need to change at `now`: door OPEN past its door-ajar threshold, UNLOCKED
   * past its unlocked threshold, LOCKED with the door OPEN, or alerts in
   * force. Served by a partial index of open, unlocked and alerted locks, so
   * cost follows those, not the fleet.
   */
  findAlertCandidates(now: Date, afterDeviceId: string, limit: number): Promise<LockRecord[]>;
}

/** A command just opened, and the SENT commands of its lock it superseded (itself too, if a newer one exists). */
export interface OpenedCommand {
  command: CommandRecord;
  superseded: CommandRecord[];
}

export interface CommandRepository {
  /**
   * @param claim when given, the command also holds `claim.key` for its lock
   *   and requester; a key still held by a command created since `claim.since`
   *   refuses this one. Atomic: of concurrent creates with one key, one wins.
   * @throws DuplicateKeyError('id'), DuplicateKeyError('idempotencyKey')
   */
  create(command: NewCommand, claim?: IdempotencyClaim): Promise<CommandRecord>;
  findById(id: string): Promise<CommandRecord | null>;
  /** The commands among `ids` that exist, in no particular order. */
  findByIds(ids: readonly string[]): Promise<CommandRecord[]>;
  /** The command holding `key` for this lock and requester, if created since `since`. */
  findByIdempotencyKey(deviceId: string, requestedBy: string, key: string, since: Date): Promise<CommandRecord | null>;
  /**
   * Makes the command with the highest counter the lock's only SENT one: every
   * SENT command of `deviceId` with a lower counter than `id`'s becomes
   * SUPERSEDED (reason `superseded by <id>`), and so does `id` itself if the
   * lock has a command with a higher counter (reason naming the lowest such).
   * Returns the commands it superseded, `id` included if it was. Each command
   * changes once, whoever races; across concurrent calls for one lock at most
   * one command with the highest counter stays SENT.
   */
  supersedeOlder(deviceId: string, id: string, counter: number, at: Date): Promise<CommandRecord[]>;
  /**
   * A new command, as `locks.allocateCounter`, then `create` with that counter, then
   * `supersedeOlder`, in that order, each with its guarantees. SQLite runs the three as one
   * transaction (one commit on the command's path, and a counter is spent only by a command that
   * exists); Mongo runs them one after the other (open-command.ts). Null when the lock does not exist.
   * @throws as `create`
   */
  open(command: Omit<NewCommand, 'counter'>, claim: IdempotencyClaim | undefined, at: Date): Promise<OpenedCommand | null>;
  /** Moves a SENT command to a final state; null if it was not SENT (already final). Atomic. */
  complete(id: string, state: Exclude<CommandState, 'SENT'>, reason: string | null, at: Date): Promise<CommandRecord | null>;
  /** Newest first. */
  listByDevice(deviceId: string, page: PageRequest): Promise<Page<CommandRecord>>;
  /** Commands still SENT that were created before `before` (timeouts, restart reconciliation). */
  findSentBefore(before: Date, limit: number): Promise<CommandRecord[]>;
  /** The lock's commands still SENT (a transfer ends them). */
  listSentByDevice(deviceId: string): Promise<CommandRecord[]>;
  removeByDevice(deviceId: string): Promise<void>;
  /**
   * Retention: deletes at most `limit` commands created before `before` that
   * are final. A command still SENT is never deleted, however old (an ack or the
   * timeout still has to end it). Returns how many it deleted.
   */
  deleteFinishedBefore(before: Date, limit: number): Promise<number>;
  /** Account deletion: commands requested by `username` are attributed to `pseudonym`. Returns how many. */
  pseudonymiseRequester(username: string, pseudonym: string): Promise<number>;
}

export interface AuditRepository {
  append(entry: NewAudit): Promise<AuditRecord>;
  /** Newest first. */
  query(filter: AuditFilter, page: PageRequest): Promise<Page<AuditRecord>>;
  /** Retention: deletes at most `limit` entries from before `before`, oldest first. Returns how many it deleted. */
  deleteBefore(before: Date, limit: number): Promise<number>;
  /**
   * Account deletion: up to `limit` entries whose actor is `username` or whose detail contains it,
   * by ascending id after `afterId` (null: from the start).
   */
  listMentioning(username: string, afterId: string | null, limit: number): Promise<AuditRecord[]>;
  /** Account deletion: replaces an entry's actor and detail (the pseudonymised ones). */
  rewrite(id: string, actor: string | null, detail: string | null): Promise<void>;
}

/** Wanted lock-side settings per lock (docs/protocol.md §11.7); removing a lock forgets them. */
export interface LockSettingsRepository {
  find(deviceId: string): Promise<LockSettingsRecord | null>;
  /** The settings of those of `deviceIds` that have some, in no particular order. */
  findMany(deviceIds: readonly string[]): Promise<LockSettingsRecord[]>;
  /** Stores new wanted settings as the next revision, not yet sent. Null when the lock does not exist. */
  save(deviceId: string, values: LockSettingsValues, by: string): Promise<LockSettingsRecord | null>;
  /** Records the cfg sent for `revision`; false (nothing written) when the settings changed since. */
  markSent(deviceId: string, revision: number, cfgId: string): Promise<boolean>;
  /** Records the lock's first answer to `cfgId`; null (nothing written) when it is not the last cfg sent or was answered already. */
  markAnswered(deviceId: string, cfgId: string, answer: CfgAnswer): Promise<LockSettingsRecord | null>;
}

/** Sampled battery, signal and availability per lock; removing a lock forgets its points. */
export interface DiagnosticsRepository {
  /** Stores the points; those of locks that do not exist (removed meanwhile) are skipped. */
  append(points: readonly DiagnosticsPoint[]): Promise<void>;
  /** A lock's points at or after `since`, oldest first, at most `limit` (the newest kept when there are more). */
  list(deviceId: string, since: Date, limit: number): Promise<DiagnosticsPoint[]>;
  /** Retention: deletes at most `limit` points from before `before`, oldest first. Returns how many it deleted. */
  deleteBefore(before: Date, limit: number): Promise<number>;
}

/** Web Push subscriptions per user and browser, and each user's choices of what to be told. */
export interface PushRepository {
  /** Stores a subscription, or replaces the one with the same endpoint (whoever held it). */
  saveSubscription(subscription: NewPushSubscription): Promise<PushSubscriptionRecord>;
  listSubscriptions(userId: string): Promise<PushSubscriptionRecord[]>;
  /** Removes `userId`'s subscription at `endpoint`; false when they have none there. */
  removeSubscription(userId: string, endpoint: string): Promise<boolean>;
  /** The push service said the subscription is gone (404/410). */
  removeEndpoint(endpoint: string): Promise<void>;
  /** Sign-out: the subscriptions registered by that session line. */
  removeBySession(sessionId: string): Promise<number>;
  /** Sign-out everywhere. */
  removeByUser(userId: string): Promise<number>;
  markDelivered(endpoint: string, at: Date): Promise<void>;
  /** The user's choices that differ from the default (on). */
  listPreferences(userId: string): Promise<PushPreferenceRecord[]>;
  /** Ids of the users who turned `kind` on for this lock (admins opt in to locks they do not own). */
  listOptedIn(deviceId: string, kind: PushKind): Promise<string[]>;
  setPreference(preference: PushPreferenceRecord): Promise<void>;
}

/** Claims of locks by their factory identity; a lock's claim goes when the lock is removed. */
export interface ClaimRepository {
  /** @throws DuplicateKeyError('factoryId') when that lock is already claimed */
  create(claim: NewClaim): Promise<ClaimRecord>;
  findByFactoryId(factoryId: string): Promise<ClaimRecord | null>;
  findByDeviceId(deviceId: string): Promise<ClaimRecord | null>;
  /** Sets completedAt if it is not set yet; the record only for the caller that set it (one audit across replicas). */
  markCompleted(factoryId: string, at: Date): Promise<ClaimRecord | null>;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongo';
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly locks: LockRepository;
  readonly commands: CommandRepository;
  readonly audit: AuditRepository;
  readonly lockSettings: LockSettingsRepository;
  readonly diagnostics: DiagnosticsRepository;
  readonly push: PushRepository;
  /** Firmware releases, rollouts and per-lock updates (firmware/). */
  readonly firmware: FirmwareRepository;
  readonly claims: ClaimRepository;
  readonly totp: TotpRepository;
  /** Account recovery links (auth/recovery/). */
  readonly recoveryTokens: RecoveryTokenRepository;
  /** Users' email addresses for recovery. */
  readonly emails: UserEmailRepository;
  /** Offers of a lock to another user (locks/lock-transfers.service.ts). */
  readonly lockTransfers: LockTransferRepository;
  /** Shares of locks with other users, and invitations to them (sharing/). */
  readonly lockShares: LockShareRepository;
  /** Bluetooth offline keys, revocation lists sent to locks and reported offline uses (ble/). */
  readonly offlineKeys: OfflineKeyRepository;
  readonly passkeys: PasskeyRepository;
  /** Throws when the store cannot serve requests (readiness). */
  ping(): Promise<void>;
  /**
   * Commits one tiny write that changes no data, so readiness can tell when a
   * storage that failed writes takes them again. Throws while writes fail.
   */
  probeWrite(): Promise<void>;
  close(): Promise<void>;
}
