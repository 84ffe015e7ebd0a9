/**
 * hello → welcome (docs/protocol.md §11.3, §13): the server answers a lock's
 * signed hello with the highest version both speak, stores it for the lock and
 * from then on speaks only that version to it. A lock stored as v2 or v3 whose
 * v1 status comes from a boot without a hello went back to v1-only firmware.
 */
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Store } from '../store/ports.js';
import type { LockRecord, ProtocolVersion } from '../store/records.js';
import type { BrokerAccounts } from './broker/broker-accounts.js';
import { lockAccount } from './broker/broker-password.js';
import type { LockLink } from './broker/lock-link.js';
import type { DeviceKeys } from './device-keys.js';
import type { DroppedMessages } from './dropped-messages.js';
import { parseVersions, type HelloMessage } from './protocol/messages-v2.js';
import { welcomePayload } from './protocol/server-messages.js';
import { PROTOCOL_VERSIONS, usesPurposeKeys } from './protocol/versions.js';
import type { Topics } from './protocol/topics.js';
import { isNewer } from './status-changes.js';

/** The versions this server speaks, ascending. */
export const SERVER_VERSIONS: readonly ProtocolVersion[] = PROTOCOL_VERSIONS;

/** The highest version in both lists, or null if they share none. */
export function chooseVersion(lockVersions: string, server: readonly ProtocolVersion[] = SERVER_VERSIONS): ProtocolVersion | null {
  const offered = parseVersions(lockVersions) ?? [];
  return [...server].reverse().find((version) => offered.includes(version)) ?? null;
}

/** v2 and v3 log in with the same (v2) password: only a move to or from v1 changes it. */
function passwordChanges(before: ProtocolVersion, after: ProtocolVersion): boolean {
  return usesPurposeKeys(before) !== usesPurposeKeys(after);
}

export interface NegotiationDeps {
  store: Store;
  keys: DeviceKeys;
  link: LockLink;
  /** Told when a lock's version changes, for brokers that hold one password per lock. */
  accounts: BrokerAccounts;
  topics: Topics;
  audit: AuditService;
  dropped: DroppedMessages;
  log: Logger;
  /** Called once a welcome is sent, with the lock's rows after and before the hello (re-sends settings, §11.7). */
  welcomed?: (lock: LockRecord, before: LockRecord) => Promise<void>;
  now?: () => number;
}

export class ProtocolNegotiation {
  private readonly now: () => number;

  constructor(private readonly deps: NegotiationDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Answers a verified hello; returns the lock's row after it (unchanged when the hello is dropped). */
  async onHello(lock: LockRecord, hello: HelloMessage): Promise<LockRecord> {
    const { dropped } = this.deps;
    // A hello uses up a seq like a status, so a recorded one is below the pair: it could only downgrade.
    if (!isNewer(hello.boot, hello.seq, lock)) {
      dropped.drop('replay', lock.deviceId, lock.owner, `hello boot ${hello.boot} seq ${hello.seq}`);
      return lock;
    }
    const version = chooseVersion(hello.vers);
    if (version === null) {
      dropped.drop('bad_version', lock.deviceId, lock.owner, `hello offers no version this server speaks: ${hello.vers}`);
      return lock;
    }
    const updated = await this.setVersion(lock, version, hello.boot);
    const keys = this.deps.keys.signingKeys(lock.deviceId, lock.secretSealed);
    const payload = welcomePayload(keys, { dev: lock.deviceId, ver: version, ts: Math.floor(this.now() / 1000) });
    const sent = await this.deps.link
      .publish(this.deps.topics.of(lock.deviceId, 'cmd'), payload, { qos: 1 })
      .then(() => true)
      .catch((error: unknown) => {
        this.deps.log.warn({ err: error, deviceId: lock.deviceId }, 'welcome not sent');
        return false;
      });
    // After the welcome on the same topic and QoS, so the lock speaks v2/v3 when the cfg arrives.
    if (sent && this.deps.welcomed) {
      await this.deps.welcomed(updated, lock).catch((error: unknown) => this.deps.log.warn({ err: error, deviceId: lock.deviceId }, 'after-welcome step failed'));
    }
    // Last: on Mosquitto this ends the session, and the welcome should reach the lock first (if it
    // does not, the lock's login rule still finds the new password at its second attempt).
    if (passwordChanges(lock.protocolVersion, version)) await this.followVersion(updated);
    return updated;
  }

  /** Whether an accepted v1 status says a lock stored as v2 or v3 no longer speaks either. */
  static wentBackToV1(lock: LockRecord, status: { v: number; boot: number }): boolean {
    return status.v === 1 && usesPurposeKeys(lock.protocolVersion) && status.boot !== lock.protocolBoot;
  }

  /** Sets a lock back to v1 (see `wentBackToV1`). */
  async backToV1(lock: LockRecord, boot: number): Promise<LockRecord> {
    const updated = await this.setVersion(lock, 1, boot);
    if (passwordChanges(lock.protocolVersion, 1)) await this.followVersion(updated);
    return updated;
  }

  /** The broker's password for the lock follows its version; a failure is logged, and start-up's reconcile does not undo it. */
  private async followVersion(lock: LockRecord): Promise<void> {
    const account = lockAccount(lock.deviceId, this.deps.keys.open(lock.deviceId, lock.secretSealed), lock.protocolVersion);
    await this.deps.accounts.followVersion(account).catch((error: unknown) => {
      this.deps.log.warn({ err: error, deviceId: lock.deviceId, version: lock.protocolVersion }, 'broker password not moved to the negotiated version');
    });
  }

  private async setVersion(lock: LockRecord, version: ProtocolVersion, boot: number): Promise<LockRecord> {
    if (lock.protocolVersion === version && lock.protocolBoot === boot) return lock;
    // v1 has no door or source: clear what a v2 firmware reported, rather than show it as current.
    const v1Only = version === 1 ? { door: null, boltMotion: null, lastChangeSource: null, lastChangedBy: null } : {};
    const updated = (await this.deps.store.locks.update(lock.deviceId, { protocolVersion: version, protocolBoot: boot, ...v1Only })) ?? lock;
    if (lock.protocolVersion !== version) {
      await this.deps.audit.record({ actor: null, action: 'lock.protocol', deviceId: lock.deviceId, result: `v${version}`, detail: `boot ${boot}` }, lock.owner);
    }
    return updated;
  }
}
