/**
 * Bluetooth offline keys (issue 16 item 10; docs/protocol.md's BLE section). While online, a person
 * who may operate a v3 lock now is issued a short-lived capability C and its secret
 * s = HMAC(key("ble"), C); the lock checks both over Bluetooth with no network. Only the key's
 * terms are stored, never s (it is recomputed from the lock's secret).
 *
 * Issuing reuses the person's newest live key while less than half its window has passed, so a
 * client that asks on every start does not mint a key each time. Revoking marks keys revoked and
 * sends the lock its new list (ble-revocations.ts); it happens on request and, automatically, when
 * a share ends or changes, the lock changes hands or is removed, and when an account is deleted.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import type { DeviceKeys } from '../devices/device-keys.js';
import { type Capability, capabilityJson, offlineKeySecret } from '../devices/protocol/messages-v3-ble.js';
import { AccessWindowClosedError, BadUserInputError, NotFoundError } from '../errors/graphql-errors.js';
import type { AppEventName, AppEvents, EventBus } from '../events/events.js';
import { followEvents } from '../events/follow-events.js';
import type { LocksService } from '../locks/locks.service.js';
import { allows } from '../sharing/lock-role.js';
import { shareVerdict } from '../sharing/share-verdict.js';
import type { OfflineKeyRecord, OfflineKeyScope } from '../store/offline-key-records.js';
import type { Store } from '../store/ports.js';
import type { LockRecord, UserRecord } from '../store/records.js';
import { type BleRevocations, speaksBluetooth } from './ble-revocations.js';

export const NO_BLUETOOTH = "The lock's firmware does not support Bluetooth (it needs protocol v3).";

/** An issued key as the app receives it: its terms, C and hex(s). */
export interface IssuedOfflineKey {
  key: OfflineKeyRecord;
  capability: string;
  secret: string;
}

export interface OfflineKeysDeps {
  store: Store;
  keys: DeviceKeys;
  locks: LocksService;
  revocations: BleRevocations;
  audit: AuditService;
  events: EventBus;
  log: Logger;
  /** BLE_OFFLINE_KEY_HOURS */
  hours: number;
  now?: () => number;
}

export class OfflineKeys {
  private readonly now: () => number;
  private readonly unsubscribers: (() => void)[] = [];

  constructor(private readonly deps: OfflineKeysDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Follows the events that end someone's right to a lock (automatic revocation). */
  start(): void {
    this.follow('lock.shareChanged', ({ deviceId, guest, role }) => {
      // A co-owner may use the lock at any time: only an ended or (re)written guest share narrows.
      if (role !== 'CO_OWNER') void this.revokeForUsername(deviceId, guest, role === null ? 'share ended' : 'share changed');
    });
    this.follow('lock.accessLost', ({ deviceId, reason }) => {
      if (reason === 'transferred' || reason === 'reassigned') void this.revokeAutomatically({ deviceId }, `lock ${reason}`);
    });
    this.follow('lock.removed', ({ deviceId }) => void this.guard(deviceId, () => this.deps.store.offlineKeys.removeByDevice(deviceId)));
    this.follow('user.rightsChanged', ({ userId, reason }) => {
      if (reason === 'accountDeleted' || reason === 'roleChanged') void this.revokeAutomatically({ userId }, reason === 'accountDeleted' ? 'account deleted' : 'role changed');
    });
  }

  stop(): void {
    for (const stop of this.unsubscribers) stop();
  }

  async issue(viewer: UserRecord, deviceId: string): Promise<IssuedOfflineKey> {
    const { lock, share, admin } = await this.deps.locks.access(viewer, deviceId, 'operate');
    if (!speaksBluetooth(lock)) throw new BadUserInputError(NO_BLUETOOTH, 'lockId');
    const nowMs = this.now();
    const nowS = Math.floor(nowMs / 1000);
    let na = nowS + this.deps.hours * 3600;
    if (share?.role === 'GUEST' && !admin) {
      const verdict = shareVerdict(share, lock, new Date(nowMs));
      const until = verdict.allowedUntil === null ? null : Math.floor(verdict.allowedUntil.getTime() / 1000);
      if (!verdict.allowed || (until !== null && until <= nowS)) throw new AccessWindowClosedError(deviceId, verdict.nextAllowedAt);
      if (until !== null) na = Math.min(na, until);
    }
    const live = await this.deps.store.offlineKeys.latestLive(deviceId, viewer.id, nowS);
    // Reused while less than half its window has passed and it ends no later than a new one would.
    if (live && nowS < live.nb + (live.na - live.nb) / 2 && live.na <= na) return this.present(lock, live);
    const key = await this.deps.store.offlineKeys.create({ kid: randomBytes(8).toString('hex'), deviceId, userId: viewer.id, act: 'LU', nb: nowS, na, createdAt: new Date(nowMs) });
    const detail = `key ${key.kid} until ${new Date(na * 1000).toISOString()}`;
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.offline_key_issued', deviceId, result: 'ok', detail }, lock.owner);
    return this.present(lock, key);
  }

  /**
   * Revokes offline keys of the lock: the owner or an admin any (all, or `keyId`), anyone else
   * only their own. Returns how many it revoked.
   */
  async revoke(viewer: UserRecord, deviceId: string, keyId: string | undefined): Promise<number> {
    const access = await this.deps.locks.access(viewer, deviceId, 'view');
    const everyone = access.admin || allows(access, 'manage');
    if (keyId !== undefined) {
      const key = await this.deps.store.offlineKeys.find(keyId);
      // Someone else's key (or none) looks the same to a person who may not revoke it.
      if (!key || key.deviceId !== deviceId || (!everyone && key.userId !== viewer.id)) throw new NotFoundError(`Offline key "${keyId}"`);
    }
    const scope: OfflineKeyScope = { deviceId, ...(everyone ? {} : { userId: viewer.id }), ...(keyId === undefined ? {} : { kid: keyId }) };
    const revoked = await this.deps.store.offlineKeys.revoke(scope, new Date(this.now()));
    await this.afterRevoke(access.lock, revoked, viewer.username, 'on request');
    return revoked.length;
  }

  /** The keys' C and s, recomputed from the lock's secret. */
  private present(lock: LockRecord, key: OfflineKeyRecord): IssuedOfflineKey {
    const capability: Capability = { dev: key.deviceId, kid: key.kid, uid: key.userId, act: key.act, nb: key.nb, na: key.na };
    const bleKey = this.deps.keys.purpose(lock.deviceId, lock.secretSealed, 'ble');
    return { key, capability: capabilityJson(capability), secret: offlineKeySecret(bleKey, capability).toString('hex') };
  }

  private async revokeForUsername(deviceId: string, username: string, why: string): Promise<void> {
    await this.guard(deviceId, async () => {
      const user = await this.deps.store.users.findByUsername(username);
      if (user) await this.revokeAutomatically({ deviceId, userId: user.id }, why);
    });
  }

  private async revokeAutomatically(scope: OfflineKeyScope, why: string): Promise<void> {
    await this.guard('deviceId' in scope ? scope.deviceId : null, async () => {
      const revoked = await this.deps.store.offlineKeys.revoke(scope, new Date(this.now()));
      for (const deviceId of new Set(revoked.map((key) => key.deviceId))) {
        const lock = await this.deps.store.locks.findByDeviceId(deviceId);
        if (lock) await this.afterRevoke(lock, revoked.filter((key) => key.deviceId === deviceId), null, why);
      }
    });
  }

  private async afterRevoke(lock: LockRecord, revoked: OfflineKeyRecord[], actor: string | null, why: string): Promise<void> {
    if (revoked.length === 0) return;
    const detail = `${revoked.length} ${revoked.length === 1 ? 'key' : 'keys'} (${why}): ${revoked.map((key) => key.kid).join(',')}`.slice(0, 500);
    await this.deps.audit.record({ actor, action: 'lock.offline_keys_revoked', deviceId: lock.deviceId, result: 'ok', detail }, lock.owner);
    await this.deps.revocations.sync(lock);
  }

  private async guard(deviceId: string | null, work: () => Promise<void>): Promise<void> {
    await work().catch((error: unknown) => this.deps.log.error({ err: error, deviceId }, 'offline keys not revoked'));
  }

  private follow<K extends AppEventName>(name: K, handler: (payload: AppEvents[K]) => void): void {
    const stop = followEvents(this.deps.events, [name], handler, this.deps.log);
    this.unsubscribers.push(() => void stop());
  }
}
