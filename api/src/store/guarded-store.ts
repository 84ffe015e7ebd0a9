/**
 * Wraps an adapter's store so that every repository method either succeeds or
 * throws a StorageFailureError when the storage itself is failing, and tells
 * an observer how writes end (readiness and the failure metric follow it).
 */
import { StorageFailureError } from './errors.js';
import type { Store } from './ports.js';

type RepositoryName = 'users' | 'sessions' | 'locks' | 'commands' | 'audit' | 'lockSettings' | 'diagnostics' | 'push' | 'firmware' | 'claims' | 'totp' | 'recoveryTokens' | 'emails' | 'lockTransfers' | 'lockShares' | 'offlineKeys' | 'passkeys';
type MethodKinds<T> = { readonly [K in keyof T]: 'read' | 'write' };

/**
 * Whether each method writes. A table rather than a naming rule so that a new
 * port method does not compile until someone decides which it is.
 */
const METHOD_KINDS: { readonly [R in RepositoryName]: MethodKinds<Store[R]> } = {
  users: { create: 'write', findById: 'read', findByUsername: 'read', list: 'read', setRole: 'write', setPasswordHash: 'write', bumpTokenVersion: 'write', invalidateAllTokenVersions: 'write', remove: 'write' },
  totp: { find: 'read', saveUnconfirmed: 'write', confirm: 'write', useStep: 'write', useRecoveryCode: 'write', remove: 'write', listSealed: 'read', replaceSealed: 'write' },
  recoveryTokens: { replace: 'write', find: 'read', consume: 'write', removeForUser: 'write' },
  emails: { find: 'read', setUnverified: 'write', verify: 'write', findVerifiedByAddress: 'read', remove: 'write' },
  passkeys: { create: 'write', listByUser: 'read', findByCredentialId: 'read', rename: 'write', remove: 'write', recordUse: 'write', useChallenge: 'write' },
  sessions: { create: 'write', findByTokenHash: 'read', markRotated: 'write', revoke: 'write', revokeFamily: 'write', revokeAllForUser: 'write', listLive: 'read', markAuthenticated: 'write', isFamilyLive: 'read', deleteExpired: 'write' },
  locks: {
    create: 'write',
    findByDeviceId: 'read',
    findByDeviceIds: 'read',
    listByOwner: 'read',
    listAll: 'read',
    listPage: 'read',
    update: 'write',
    remove: 'write',
    allocateCounter: 'write',
    raiseCounter: 'write', replaceSealedSecret: 'write',
    applyStatus: 'write',
    applyStatuses: 'write',
    findStale: 'read',
    markUnavailableIfStale: 'write',
    markAllUnavailable: 'write',
    markUnavailableUnlessSeenSince: 'write',
    replaceAlerts: 'write',
    findAlertCandidates: 'read',
  },
  commands: {
    create: 'write',
    findById: 'read',
    findByIds: 'read',
    findByIdempotencyKey: 'read',
    supersedeOlder: 'write',
    open: 'write',
    complete: 'write',
    listByDevice: 'read',
    findSentBefore: 'read',
    listSentByDevice: 'read',
    removeByDevice: 'write',
    deleteFinishedBefore: 'write',
    pseudonymiseRequester: 'write',
  },
  audit: { append: 'write', query: 'read', deleteBefore: 'write', listMentioning: 'read', rewrite: 'write' },
  lockSettings: { find: 'read', findMany: 'read', save: 'write', markSent: 'write', markAnswered: 'write' },
  diagnostics: { append: 'write', list: 'read', deleteBefore: 'write' },
  firmware: {
    addRelease: 'write',
    findRelease: 'read',
    findReleaseBySha256: 'read',
    listReleases: 'read',
    createRollout: 'write',
    findRollout: 'read',
    listRollouts: 'read',
    updateRollout: 'write',
    startLockUpdate: 'write',
    progressLockUpdate: 'write',
    findLockUpdate: 'read',
    findLockUpdates: 'read',
    listLockUpdatesByRollout: 'read',
  },
  claims: { create: 'write', findByFactoryId: 'read', findByDeviceId: 'read', markCompleted: 'write' },
  lockTransfers: { create: 'write', findById: 'read', listOpen: 'read', end: 'write', accept: 'write', lastAccepted: 'read', forgetUser: 'write' },
  offlineKeys: {
    create: 'write',
    find: 'read',
    latestLive: 'read',
    revoke: 'write',
    revokedUnexpired: 'read',
    removeByDevice: 'write',
    recordUse: 'write',
    findList: 'read',
    putList: 'write',
    ackList: 'write',
  },
  lockShares: {
    put: 'write',
    findById: 'read',
    find: 'read',
    listByDevice: 'read',
    listByGuest: 'read',
    update: 'write',
    remove: 'write',
    removeByDevice: 'write',
    createInvitation: 'write',
    findInvitation: 'read',
    findInvitationByTokenHash: 'read',
    listPendingInvitations: 'read',
    useInvitation: 'write',
    cancelInvitation: 'write',
    forgetUser: 'write',
  },
  push: {
    saveSubscription: 'write',
    listSubscriptions: 'read',
    removeSubscription: 'write',
    removeEndpoint: 'write',
    removeBySession: 'write',
    removeByUser: 'write',
    markDelivered: 'write',
    listPreferences: 'read',
    listOptedIn: 'read',
    setPreference: 'write',
  },
};

/** Told how each write ended; reads that fail are mapped but not reported (a read failure does not mean writes fail). */
export interface StoreObserver {
  writeFailed(operation: string, error: StorageFailureError): void;
  writeSucceeded(operation: string): void;
}

export interface GuardOptions {
  /** The adapter's own test of whether a driver error means the storage is failing. */
  isStorageFailure: (error: unknown) => boolean;
  observer?: StoreObserver | undefined;
}

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

function guardMethod(operation: string, kind: 'read' | 'write', method: AsyncMethod, options: GuardOptions): AsyncMethod {
  return async (...args) => {
    let result: unknown;
    try {
      result = await method(...args);
    } catch (error) {
      if (!options.isStorageFailure(error)) throw error;
      const failure = new StorageFailureError(operation, { cause: error });
      if (kind === 'write') options.observer?.writeFailed(operation, failure);
      throw failure;
    }
    if (kind === 'write') options.observer?.writeSucceeded(operation);
    return result;
  };
}

function guardRepository<T extends object>(name: string, repository: T, kinds: MethodKinds<T>, options: GuardOptions): T {
  const guarded: Record<string, unknown> = {};
  for (const key of Object.keys(kinds) as (keyof T & string)[]) {
    const method = repository[key];
    if (typeof method !== 'function') throw new Error(`${name}.${key} is not a method of this store`);
    guarded[key] = guardMethod(`${name}.${key}`, kinds[key], (method as AsyncMethod).bind(repository), options);
  }
  // Every key of T is in `kinds` (the table's type says so), so this is the whole repository.
  return guarded as T;
}

export function guardStore(store: Store, options: GuardOptions): Store {
  return {
    kind: store.kind,
    users: guardRepository('users', store.users, METHOD_KINDS.users, options),
    sessions: guardRepository('sessions', store.sessions, METHOD_KINDS.sessions, options),
    locks: guardRepository('locks', store.locks, METHOD_KINDS.locks, options),
    commands: guardRepository('commands', store.commands, METHOD_KINDS.commands, options),
    audit: guardRepository('audit', store.audit, METHOD_KINDS.audit, options),
    firmware: guardRepository('firmware', store.firmware, METHOD_KINDS.firmware, options),
    lockSettings: guardRepository('lockSettings', store.lockSettings, METHOD_KINDS.lockSettings, options),
    diagnostics: guardRepository('diagnostics', store.diagnostics, METHOD_KINDS.diagnostics, options),
    push: guardRepository('push', store.push, METHOD_KINDS.push, options),
    claims: guardRepository('claims', store.claims, METHOD_KINDS.claims, options),
    totp: guardRepository('totp', store.totp, METHOD_KINDS.totp, options),
    recoveryTokens: guardRepository('recoveryTokens', store.recoveryTokens, METHOD_KINDS.recoveryTokens, options),
    emails: guardRepository('emails', store.emails, METHOD_KINDS.emails, options),
    lockTransfers: guardRepository('lockTransfers', store.lockTransfers, METHOD_KINDS.lockTransfers, options),
    lockShares: guardRepository('lockShares', store.lockShares, METHOD_KINDS.lockShares, options),
    offlineKeys: guardRepository('offlineKeys', store.offlineKeys, METHOD_KINDS.offlineKeys, options),
    passkeys: guardRepository('passkeys', store.passkeys, METHOD_KINDS.passkeys, options),
    ping: guardMethod('ping', 'read', () => store.ping(), options) as () => Promise<void>,
    probeWrite: guardMethod('probeWrite', 'write', () => store.probeWrite(), options) as () => Promise<void>,
    close: () => store.close(),
  };
}
