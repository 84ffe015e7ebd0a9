/**
 * Over-the-air rotation of a lock's secret (docs/protocol.md §13.3), a two-phase
 * switch that no crash of either side can turn into a lockout:
 *
 *   start:  the new K' is stored beside K (SENT) BEFORE the `rekey` goes out;
 *           re-sent after every welcome while SENT (like a cfg, §11.7)
 *   ack ok: the server switches: K' current, K kept as previous (CONFIRMING),
 *           and sends a `time` under K' at once (the lock commits on it)
 *   proof:  the first message the lock signs with K' ends the rotation (K forgotten)
 *
 * While SENT or CONFIRMING the lock's statuses and hellos verify under either
 * secret (status-ingest.ts) and the embedded broker takes either password
 * (device-authenticator.ts). A broker holding one password per lock (Mosquitto
 * dynsec) holds K's while SENT and is moved to K''s at the switch, after the
 * store and before the time under K' (and again, if this process has not yet,
 * before the rotation ends): the lock's login rule tries K''s password while it
 * holds K' pending, and the broker reconcile at start-up sets the current
 * secret's for a rotating lock.
 * Everything is audited as `lock.secretRotated`.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import { BadUserInputError } from '../errors/graphql-errors.js';
import type { EventBus } from '../events/events.js';
import type { Store } from '../store/ports.js';
import type { LockRecord } from '../store/records.js';
import type { BrokerAccounts } from './broker/broker-accounts.js';
import { lockAccount } from './broker/broker-password.js';
import type { LockLink } from './broker/lock-link.js';
import type { DeviceKeys } from './device-keys.js';
import type { AckMessage } from './protocol/messages.js';
import { REKEY_ID_PREFIX } from './protocol/messages-v3.js';
import { sealNewSecret } from './protocol/rekey-key.js';
import { rekeyPayload, timePayload } from './protocol/server-messages.js';
import { newDeviceSecret } from './protocol/signature.js';
import type { Topics } from './protocol/topics.js';
import { SERVER_TYPES } from './protocol/versions.js';

export type RotationPhase = 'SENT' | 'CONFIRMING';

/** Where a lock's over-the-air rotation stands, or null when none runs. */
export function rotationPhase(lock: Pick<LockRecord, 'secretPendingSealed' | 'secretPreviousSealed'>): RotationPhase | null {
  if (lock.secretPendingSealed !== null) return 'SENT';
  return lock.secretPreviousSealed !== null ? 'CONFIRMING' : null;
}

/** The first version that has `rekey`. */
const REKEY_VERSION = 3;
const speaksRekey = (lock: LockRecord) => (lock.protocolVersion === REKEY_VERSION && (SERVER_TYPES[REKEY_VERSION] as readonly string[]).includes('rekey'));

export interface KeyRotationDeps {
  store: Store;
  keys: DeviceKeys;
  link: LockLink;
  topics: Topics;
  audit: AuditService;
  events: EventBus;
  log: Logger;
  /** The lock's broker accounts: whether they take either secret during a rotation (embedded), or move to the new one (dynsec). */
  accounts: Pick<BrokerAccounts, 'acceptsTwoSecrets' | 'followSecret' | 'moveToSecret'>;
  now?: () => number;
}

export class KeyRotation {
  private readonly now: () => number;

  constructor(private readonly deps: KeyRotationDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Why this lock cannot be rotated over the air (then the owner flashes a new secret), or null. */
  whyNot(lock: LockRecord): string | null {
    if (!speaksRekey(lock)) return `the lock speaks protocol v${lock.protocolVersion}; over-the-air rotation needs v3`;
    if (lock.state !== 'AVAILABLE') return 'the lock is offline';
    const { accounts } = this.deps;
    if (accounts.acceptsTwoSecrets !== true && accounts.moveToSecret === undefined) {
      return 'the broker\'s accounts are kept by hand (MQTT_BROKER_ADMIN=none), so the api cannot move the lock\'s password to the new secret';
    }
    // A TLS pre-shared key names one key per identity: the listener cannot take both during the switch.
    if (lock.tlsRequired) return 'the lock logs in over TLS with a pre-shared key, which cannot follow a switch in flight';
    if (rotationPhase(lock) === 'CONFIRMING') return 'a rotation is finishing: the lock has not used its new secret yet';
    return null;
  }

  /** Stores a new secret beside the current one, then sends it. A rotation still SENT is replaced. */
  async start(lock: LockRecord, actor: string): Promise<LockRecord> {
    const why = this.whyNot(lock);
    if (why) throw new BadUserInputError(`Lock "${lock.deviceId}" cannot change its secret over the air: ${why}. Use rotateDeviceSecret and flash the new secret instead.`);
    const id = `${REKEY_ID_PREFIX}${randomUUID()}`;
    const sealed = this.deps.keys.seal(lock.deviceId, newDeviceSecret());
    // Stored first: a crash after this line leaves a rotation that the next welcome resumes.
    const updated = (await this.deps.store.locks.update(lock.deviceId, { rekeyId: id, secretPendingSealed: sealed, rekeyStartedAt: new Date(this.now()) })) ?? lock;
    await this.record(updated, actor, 'started', `${id}: sent over the air`);
    this.deps.events.publish('lock.changed', updated);
    await this.send(updated);
    return updated;
  }

  /** After a welcome (the lock may have restarted): a rotation still SENT goes out again. */
  async afterWelcome(lock: LockRecord): Promise<void> {
    if (rotationPhase(lock) === 'SENT' && speaksRekey(lock)) await this.send(lock);
  }

  /** Sends the pending secret, encrypted under the current one, with a fresh counter. */
  private async send(lock: LockRecord): Promise<void> {
    const { rekeyId: id, secretPendingSealed: pending } = lock;
    if (id === null || pending === null) return;
    const ctr = await this.deps.store.locks.allocateCounter(lock.deviceId);
    if (ctr === null) return;
    const current = this.deps.keys.open(lock.deviceId, lock.secretSealed);
    const key = sealNewSecret(current, id, this.deps.keys.openUncached(lock.deviceId, pending));
    const payload = rekeyPayload(this.deps.keys.signingKeys(lock.deviceId, lock.secretSealed), { dev: lock.deviceId, id, ctr, ts: Math.floor(this.now() / 1000), key });
    await this.deps.link
      .publish(this.deps.topics.of(lock.deviceId, 'cmd'), payload, { qos: 1 })
      .catch((error: unknown) => this.deps.log.warn({ err: error, deviceId: lock.deviceId }, 'rekey not sent; it goes again after the next welcome'));
  }

  /** Whether an ack names a rekey (and not a command or a cfg). */
  static answers(ack: AckMessage): boolean {
    return ack.id.startsWith(REKEY_ID_PREFIX);
  }

  /**
   * The lock's signed answer to a rekey, from status (boot, seq). `ok` on the rotation SENT: the
   * server switches to the new secret and sends a `time` under it at once. Returns the row after.
   */
  async acked(lock: LockRecord, ack: AckMessage, answering: { boot: number; seq: number }): Promise<LockRecord> {
    if (ack.id !== lock.rekeyId || lock.secretPendingSealed === null) return lock; // an old one, or answered already
    if (ack.result !== 'ok') {
      await this.record(lock, null, ack.result, `${ack.id}: ${ack.reason ?? 'no reason'}; sent again at its next connection`);
      return lock;
    }
    const updated = await this.deps.store.locks.update(lock.deviceId, { secretSealed: lock.secretPendingSealed, secretPreviousSealed: lock.secretSealed, secretPendingSealed: null });
    if (!updated) return lock;
    this.deps.keys.forget(lock.deviceId);
    await this.record(updated, null, 'switched', `${ack.id}: the lock stored the new secret; the server uses it now`);
    this.deps.events.publish('lock.changed', updated);
    // One password per lock: now K''s, BEFORE anything goes out under K'. A lock that switched while
    // the account still held K's password would have no way in should the api die right then. The
    // move ends the lock's session; it gets back in with K''s password by its login rule (§11.1).
    await this.moveBroker(updated).catch(() => undefined);
    // Under the new secret at once: the lock switches when it first verifies one (§13.3); if this one
    // is lost with the session the move ended, the welcome after the lock's next hello does it.
    const payload = timePayload(this.deps.keys.signingKeys(lock.deviceId, updated.secretSealed), updated.protocolVersion, { dev: lock.deviceId, ...answering, ts: Math.floor(this.now() / 1000) });
    await this.deps.link.publish(this.deps.topics.of(lock.deviceId, 'cmd'), payload, { qos: 1 }).catch((error: unknown) => {
      this.deps.log.warn({ err: error, deviceId: lock.deviceId }, 'time under the new secret not sent; the next welcome or command carries it');
    });
    return updated;
  }

  /** A broker holding one password per lock takes the current secret's (§13.3); nothing on the embedded broker. */
  private async moveBroker(lock: LockRecord): Promise<void> {
    const move = this.deps.accounts.moveToSecret?.bind(this.deps.accounts);
    if (!move) return;
    await move(lockAccount(lock.deviceId, this.deps.keys.open(lock.deviceId, lock.secretSealed), lock.protocolVersion)).catch((error: unknown) => {
      this.deps.log.warn({ err: error, deviceId: lock.deviceId }, 'broker password not moved to the new secret; the rotation ends only once it is (or the next start sets it)');
      throw error;
    });
  }

  /** A message the lock signed with the current secret while the previous one is kept: the rotation is over. */
  async proved(lock: LockRecord): Promise<LockRecord> {
    if (rotationPhase(lock) !== 'CONFIRMING') return lock;
    // The broker first: once the store forgets K, no start-up reconcile would move a password left on K.
    try {
      await this.moveBroker(lock);
    } catch {
      return lock; // still CONFIRMING: the lock's next message under K' tries again
    }
    const updated = (await this.deps.store.locks.update(lock.deviceId, { secretPreviousSealed: null, rekeyId: null, rekeyStartedAt: null })) ?? lock;
    // Its TLS pre-shared key too, for a later TLS login (this lock logs in plain: see whyNot).
    const account = lockAccount(lock.deviceId, this.deps.keys.open(lock.deviceId, updated.secretSealed), updated.protocolVersion);
    await this.deps.accounts.followSecret?.(account).catch((error: unknown) => this.deps.log.warn({ err: error, deviceId: lock.deviceId }, 'TLS key not moved to the new secret; the next start reconciles it'));
    await this.record(updated, null, 'completed', `${lock.rekeyId ?? 'rekey'}: the lock signed with the new secret; the old one is forgotten`);
    this.deps.events.publish('lock.changed', updated);
    return updated;
  }

  private async record(lock: LockRecord, actor: string | null, result: string, detail: string): Promise<void> {
    await this.deps.audit.record({ actor, action: 'lock.secretRotated', deviceId: lock.deviceId, result, detail }, lock.owner);
  }
}
