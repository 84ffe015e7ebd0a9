/**
 * Lock ownership and lifecycle: registration (the only time, with rotation,
 * that a device secret leaves the server), rename, removal, reassignment.
 * Who may do what is decided here so resolvers and jobs share the rule.
 */
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import { normalizeUsername } from '../auth/credentials.js';
import { BrokerAccountConflict, type BrokerAccounts } from '../devices/broker/broker-accounts.js';
import { lockAccount } from '../devices/broker/broker-password.js';
import type { DeviceKeys } from '../devices/device-keys.js';
import { DEVICE_ID_PATTERN } from '../devices/protocol/limits.js';
import { mqttPassword, newDeviceSecret } from '../devices/protocol/signature.js';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors/graphql-errors.js';
import type { EventBus } from '../events/events.js';
import { encodeCursor } from '../store/cursor.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { Store } from '../store/ports.js';
import type { LockRecord, UserRecord } from '../store/records.js';
import { cleanDisplayText } from '../text/display-text.js';
import { accessOf, type LockAccess, type LockRight, requireRight } from '../sharing/lock-role.js';
import type { ShareDirectory } from '../sharing/share-directory.js';
import { announceShareChange, endAllShares } from '../sharing/share-events.js';
import { lockNotFound } from './lock-access.js';

export interface Registration {
  lock: LockRecord;
  deviceSecret: string;
  mqttUsername: string;
  mqttPassword: string;
}

export interface LocksServiceDeps {
  store: Store;
  keys: DeviceKeys;
  audit: AuditService;
  events: EventBus;
  /** Broker usernames that belong to servers, never to locks. */
  reservedDeviceIds: string[];
  /** Lock accounts on the broker: created, changed and removed here, with the store. */
  accounts: BrokerAccounts;
  log: Logger;
  /** Who holds which share (subscription filters): told at once when shares end here. */
  directory: ShareDirectory;
  /** Deletes a claimed lock's retained claim message, if it is still there (docs/protocol.md "Claiming"). */
  clearClaimTopic?: (factoryId: string) => Promise<void>;
}

/** Broker usernames of unclaimed locks (claim-<factory id>): no registered lock may take one. */
const CLAIM_ACCOUNT = /^claim-/i;

const MAX_NAME = 64;

const checkName = (raw: string): string => cleanDisplayText(raw, 'name', 'Name', MAX_NAME);

export class LocksService {
  constructor(private readonly deps: LocksServiceDeps) {}

  /** The viewer's locks and those shared with them (admins: every lock). Three store reads at most, whatever the count. */
  async list(viewer: UserRecord): Promise<LockRecord[]> {
    if (viewer.role === 'ADMIN') return this.deps.store.locks.listAll();
    const [owned, shares] = await Promise.all([this.deps.store.locks.listByOwner(viewer.username), this.deps.store.lockShares.listByGuest(viewer.username)]);
    if (shares.length === 0) return owned;
    const shared = await this.deps.store.locks.findByDeviceIds(shares.map((s) => s.deviceId));
    return [...owned, ...shared.filter((lock) => lock.owner !== viewer.username).sort((a, b) => a.name.localeCompare(b.name))];
  }

  /**
   * `first` locks of `list`, in its order, after the lock `afterDeviceId`. An admin's page is one
   * indexed read, whatever the fleet (issue 17 item 5); others page through their short list.
   */
  async listPage(viewer: UserRecord, first: number, afterDeviceId: string | undefined): Promise<LockRecord[]> {
    if (viewer.role === 'ADMIN') {
      const page = await this.deps.store.locks.listPage({ first, ...(afterDeviceId === undefined ? {} : { after: encodeCursor(afterDeviceId) }) });
      return page.items;
    }
    const all = await this.list(viewer);
    const start = afterDeviceId === undefined ? 0 : all.findIndex((lock) => lock.deviceId === afterDeviceId) + 1;
    if (start === 0 && afterDeviceId !== undefined) throw new BadUserInputError('after must be the device id of one of your locks.', 'after');
    return all.slice(start, start + first);
  }

  /**
   * What the viewer may do with the lock (sharing/lock-role.ts): NOT_FOUND when they may not see
   * it, FORBIDDEN when their role lacks `right`. A guest's access rule is not checked here (commands do).
   */
  async access(viewer: UserRecord, deviceId: string, right: LockRight): Promise<LockAccess> {
    const lock = await this.deps.store.locks.findByDeviceId(deviceId);
    if (!lock) throw lockNotFound(deviceId);
    // The owner needs no share read: the common case costs one read, as before sharing.
    const share = lock.owner === viewer.username ? null : await this.deps.store.lockShares.find(deviceId, viewer.username);
    return requireRight(deviceId, accessOf(viewer, lock, share), right);
  }

  /** The lock if the viewer's role on it carries `right` (see `access`). */
  async get(viewer: UserRecord, deviceId: string, right: LockRight): Promise<LockRecord> {
    return (await this.access(viewer, deviceId, right)).lock;
  }

  async register(viewer: UserRecord, deviceId: string, rawName: string): Promise<Registration> {
    if (!DEVICE_ID_PATTERN.test(deviceId)) throw new BadUserInputError('Device id must be 3–64 characters of A-Z a-z 0-9 _ -', 'deviceId');
    if (this.deps.reservedDeviceIds.includes(deviceId) || CLAIM_ACCOUNT.test(deviceId)) throw new BadUserInputError(`Device id "${deviceId}" is reserved.`, 'deviceId');
    const name = checkName(rawName);
    const secret = newDeviceSecret();
    let lock: LockRecord;
    try {
      lock = await this.deps.store.locks.create({ deviceId, name, owner: viewer.username, secretSealed: this.deps.keys.seal(deviceId, secret) });
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new BadUserInputError(`A lock with device id "${deviceId}" is already registered.`, 'deviceId');
      throw error;
    }
    // After the store (which refuses a taken device id), so an existing lock's account is never touched.
    try {
      await this.deps.accounts.create(lockAccount(deviceId, secret, 1));
    } catch (error) {
      await this.deps.store.locks.remove(deviceId);
      if (error instanceof BrokerAccountConflict) throw new BadUserInputError(`Device id "${deviceId}" is reserved.`, 'deviceId');
      this.deps.log.error({ err: error, deviceId }, 'the broker did not create the lock account; registration undone');
      throw new Error('The MQTT broker did not accept the lock account; try again.', { cause: error });
    }
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.register', deviceId, result: 'ok', detail: name }, lock.owner);
    this.deps.events.publish('lock.changed', lock);
    return this.registration(lock, secret);
  }

  /**
   * A v3 lock's signed `reset` (docs/protocol.md §15.5): it was factory-reset and forgot K, so it
   * is released as by its owner's removeLock, by nobody, and audited `lock.factoryReset`.
   */
  async factoryReset(lock: LockRecord): Promise<void> {
    const { deviceId } = lock;
    const claim = await this.deps.store.claims.findByDeviceId(deviceId);
    const shares = await this.deps.store.lockShares.listByDevice(deviceId);
    await this.deps.store.commands.removeByDevice(deviceId);
    if (!(await this.deps.store.locks.remove(deviceId))) return; // another replica got there first
    for (const share of shares) announceShareChange(this.deps, deviceId, share.guest, null);
    await this.deps.accounts.remove(deviceId).catch((error: unknown) => this.deps.log.error({ err: error, deviceId }, 'the broker did not delete the reset lock account; it will at the next start'));
    if (claim?.completedAt === null) await this.deps.clearClaimTopic?.(claim.factoryId).catch(() => undefined);
    const detail = claim ? `factory id ${claim.factoryId}; ${lock.name}` : lock.name;
    await this.deps.audit.record({ actor: null, action: 'lock.factoryReset', deviceId, result: 'released', detail }, lock.owner);
    this.deps.events.publish('lock.removed', { deviceId, owner: lock.owner });
    const guests = shares.map((s) => s.guest);
    this.deps.events.publish('lock.accessLost', { deviceId, formerOwner: lock.owner, newOwner: null, reason: 'removed', at: new Date(), ...(guests.length > 0 ? { guests } : {}) });
  }

  /** The lock's factory id may be claimed again (by anyone holding its code, once the lock is factory-reset). */
  private async released(viewer: UserRecord, lock: LockRecord, factoryId: string, claimMessageMayRemain: boolean): Promise<void> {
    if (claimMessageMayRemain) {
      await this.deps.clearClaimTopic?.(factoryId).catch((error: unknown) => this.deps.log.warn({ err: error, factoryId }, 'the claim message was not cleared'));
    }
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.release', deviceId: lock.deviceId, result: 'ok', detail: `factory id ${factoryId}` }, lock.owner);
  }

  async rename(viewer: UserRecord, deviceId: string, rawName: string): Promise<LockRecord> {
    const name = checkName(rawName);
    const before = await this.get(viewer, deviceId, 'configure');
    const lock = await this.mustUpdate(deviceId, { name });
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.rename', deviceId, result: 'ok', detail: `${before.name} → ${name}` }, lock.owner);
    this.deps.events.publish('lock.changed', lock);
    return lock;
  }

  async remove(viewer: UserRecord, deviceId: string): Promise<void> {
    const lock = await this.get(viewer, deviceId, 'manage');
    const shares = await this.deps.store.lockShares.listByDevice(deviceId);
    const claim = await this.deps.store.claims.findByDeviceId(deviceId);
    await this.deps.store.commands.removeByDevice(deviceId);
    await this.deps.store.locks.remove(deviceId); // releases its claim too
    if (claim) await this.released(viewer, lock, claim.factoryId, claim.completedAt === null);
    try {
      await this.deps.accounts.remove(deviceId);
    } catch (error) {
      // The lock is gone from the store: its broker account is deleted at the next start (reconcile).
      this.deps.log.error({ err: error, deviceId }, 'the broker did not delete the lock account; it will at the next start');
    }
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.remove', deviceId, result: 'ok', detail: lock.name }, lock.owner);
    this.deps.events.publish('lock.removed', { deviceId, owner: lock.owner });
    // Its shares went with it (the store removes them with the lock): their holders drop it too.
    for (const share of shares) announceShareChange(this.deps, deviceId, share.guest, null);
    const guests = shares.map((s) => s.guest);
    this.deps.events.publish('lock.accessLost', { deviceId, formerOwner: lock.owner, newOwner: null, reason: 'removed', at: new Date(), ...(guests.length > 0 ? { guests } : {}) });
  }

  /**
   * A new secret; the old one stops working for commands, statuses and the broker at once. The
   * lock starts over at protocol v1 (the broker account holds the v1 password returned here, which
   * any firmware flashed with the secret can use), and its next hello moves it to v2 again. This is
   * also the way back for a lock whose firmware went back to v1-only while its Mosquitto account
   * held the v2 password.
   */
  async rotateSecret(viewer: UserRecord, deviceId: string): Promise<Registration> {
    await this.get(viewer, deviceId, 'manage');
    const secret = newDeviceSecret();
    // Broker first: if the store write then fails, the old password is revoked anyway and the
    // owner rotates again; the other order could leave the old password working on the broker.
    await this.deps.accounts.changePassword(lockAccount(deviceId, secret, 1));
    // A flashed secret ends any over-the-air rotation: neither of its secrets logs in any more.
    const noRotation = { rekeyId: null, secretPendingSealed: null, secretPreviousSealed: null, rekeyStartedAt: null };
    const lock = await this.mustUpdate(deviceId, { secretSealed: this.deps.keys.seal(deviceId, secret), protocolVersion: 1, ...noRotation });
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.rotateSecret', deviceId, result: 'ok', detail: null }, lock.owner);
    this.deps.events.publish('lock.secretRotated', { deviceId });
    return this.registration(lock, secret);
  }

  async reassign(admin: UserRecord, deviceId: string, rawUsername: string): Promise<LockRecord> {
    if (admin.role !== 'ADMIN') throw new ForbiddenError();
    const username = normalizeUsername(rawUsername);
    const before = await this.get(admin, deviceId, 'manage');
    if (!(await this.deps.store.users.findByUsername(username))) throw new NotFoundError(`User "${username}"`);
    const lock = await this.mustUpdate(deviceId, { owner: username });
    // The former owner's shares are not the new owner's to keep: they end, as on a transfer.
    if (before.owner !== lock.owner) await endAllShares({ ...this.deps }, lock);
    await this.deps.audit.record(
      { actor: admin.username, action: 'lock.reassign', deviceId, result: 'ok', detail: `${before.owner} → ${username}` },
      username,
    );
    // Subscriptions filter on the owner carried by the event, so the former owner's feed stops here.
    this.deps.events.publish('lock.changed', lock);
    if (before.owner !== lock.owner) {
      this.deps.events.publish('lock.accessLost', { deviceId, formerOwner: before.owner, newOwner: lock.owner, reason: 'reassigned', at: new Date() });
    }
    return lock;
  }

  private async mustUpdate(deviceId: string, patch: Parameters<Store['locks']['update']>[1]): Promise<LockRecord> {
    const lock = await this.deps.store.locks.update(deviceId, patch);
    if (!lock) throw lockNotFound(deviceId);
    return lock;
  }

  private registration(lock: LockRecord, secret: Buffer): Registration {
    return { lock, deviceSecret: secret.toString('hex'), mqttUsername: lock.deviceId, mqttPassword: mqttPassword(secret) };
  }
}
