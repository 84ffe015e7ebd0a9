/**
 * Claiming a lock with the code on its box (docs/protocol.md "Claiming"): the code proves the
 * person holds the lock, the server picks the device id and K, stores the lock under a name of the
 * person's choosing (unique among their own locks only), and sends the lock its id and K on its
 * claim topic, signed and encrypted under keys only the code's holder can derive.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import type { AttemptCounter } from '../auth/throttle/throttle.js';
import type { BrokerAccounts } from '../devices/broker/broker-accounts.js';
import { lockAccount } from '../devices/broker/broker-password.js';
import type { LockLink, LockMessage } from '../devices/broker/lock-link.js';
import type { DeviceKeys } from '../devices/device-keys.js';
import { newDeviceSecret } from '../devices/protocol/signature.js';
import type { Topics } from '../devices/protocol/topics.js';
import { AlreadyClaimedError, BadUserInputError, TooManyAttemptsError } from '../errors/graphql-errors.js';
import type { EventBus } from '../events/events.js';
import { followEvents } from '../events/follow-events.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { Store } from '../store/ports.js';
import type { LockRecord, UserRecord } from '../store/records.js';
import { cleanDisplayText } from '../text/display-text.js';
import { parseClaimCode, type ClaimCode } from './claim-code.js';
import { ClaimAccountHolds, CLAIM_ACCOUNT_TIMING } from './claim-account-holds.js';
import { claimBrokerPassword, claimMessage, claimVerifier, readHello, sha256 } from './claim-crypto.js';
import { UnclaimedHellos } from './unclaimed-hellos.js';

/** Failed claims one user may make per hour, and failed claims of one factory id per hour (from anyone). */
export const CLAIM_LIMITS = { perUser: 10, perLock: 20, windowMs: 3_600_000 };

export interface ClaimsServiceDeps {
  store: Store;
  keys: DeviceKeys;
  link: LockLink;
  topics: Topics;
  accounts: BrokerAccounts;
  audit: AuditService;
  events: EventBus;
  counter: AttemptCounter;
  log: Logger;
  now?: () => number;
}

const notRecognised = () =>
  new BadUserInputError(
    'No unclaimed lock answers to this code. Check the code, and that the lock is powered and on the network (it shows its code while it waits).',
    'code',
  );

/** `lk-` and 16 base32 characters (80 random bits): device ids are no longer chosen by people. */
export function newDeviceId(): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  return `lk-${[...randomBytes(16)].map((byte) => alphabet[byte & 31]).join('')}`;
}

export class ClaimsService {
  readonly hellos: UnclaimedHellos;
  /** Where the broker needs an account per unclaimed lock (Mosquitto with dynsec, protocol.md §15.8). */
  private readonly holds: ClaimAccountHolds | undefined;
  private stopFollowing: (() => Promise<void>) | undefined;

  constructor(private readonly deps: ClaimsServiceDeps) {
    this.hellos = new UnclaimedHellos(deps.now);
    this.holds = deps.accounts.claims ? new ClaimAccountHolds(deps.accounts.claims, deps.log) : undefined;
  }

  /** True when the message was an unclaimed lock's hello (remembered, or dropped if malformed). */
  handle(message: LockMessage): boolean {
    const factoryId = this.deps.topics.parseClaimHello(message.topic);
    if (factoryId === null) return false;
    const hello = readHello(factoryId, message.payload.toString('latin1'));
    if (hello) this.hellos.remember(hello);
    else this.deps.log.debug({ factoryId }, 'dropped a malformed unclaimed hello');
    return true;
  }

  /** Completes claims when their lock first comes online: the claim message is cleared from the broker. */
  start(): void {
    this.stopFollowing = followEvents(
      this.deps.events,
      ['audit.appended'],
      ({ entry }) => (entry.action === 'lock.online' && entry.deviceId ? this.completeIfClaimed(entry.deviceId) : undefined),
      this.deps.log,
    );
  }

  async stop(): Promise<void> {
    await this.stopFollowing?.();
    await this.holds?.stop();
  }

  async claim(viewer: UserRecord, rawCode: string, rawName: string): Promise<LockRecord> {
    const parsed = await parseClaimCode(rawCode, sha256);
    if (!parsed.ok) {
      throw new BadUserInputError(
        parsed.reason === 'check' ? 'This code has a typo: check it against the box.' : 'A claim code looks like SL1-0123456789ABCDEF-ABCD-EFGH-JKMN-PQRS-XY.',
        'code',
      );
    }
    const name = cleanDisplayText(rawName, 'name', 'Name', 64);
    // The person's own lock names only: checked before anything touches the lock or the budgets.
    const owned = await this.deps.store.locks.listByOwner(viewer.username);
    if (owned.some((lock) => lock.name.toLowerCase() === name.toLowerCase())) throw new BadUserInputError(`You already have a lock named "${name}".`, 'name');
    const { code } = parsed;
    const release = await this.takeAttempts(viewer, code.factoryId);
    const claimed = await this.deps.store.claims.findByFactoryId(code.factoryId);
    if (claimed) {
      // Only a holder of the code learns that the lock is claimed: anyone else hears "not recognised",
      // as late as a lock that never answers would be.
      if (claimed.verifier === claimVerifier(code)) {
        await release();
        throw new AlreadyClaimedError();
      }
      if (this.holds) await sleep(CLAIM_ACCOUNT_TIMING.waitMs);
      throw notRecognised();
    }
    if (!this.holds) {
      const hello = this.hellos.provenBy(code);
      if (!hello) throw notRecognised();
      await release();
      return this.bind(viewer, code, hello.nonce, name);
    }
    // The lock can log in only now: its account opens with the password this code derives.
    const letGo = await this.holds.hold(code.factoryId, claimBrokerPassword(code));
    try {
      const hello = await this.hellos.waitForProof(code, CLAIM_ACCOUNT_TIMING.waitMs);
      if (!hello) throw notRecognised();
      await release();
      const lock = await this.bind(viewer, code, hello.nonce, name);
      // Open until the lock comes online with K: it may be between two connections still.
      this.holds.keepUntilOnline(code.factoryId, letGo);
      return lock;
    } catch (error) {
      await letGo();
      throw error;
    }
  }

  private async bind(viewer: UserRecord, code: ClaimCode, lockNonce: string, name: string): Promise<LockRecord> {
    const { store, keys, accounts, topics, link } = this.deps;
    const deviceId = newDeviceId();
    const secret = newDeviceSecret();
    const lock = await store.locks.create({ deviceId, name, owner: viewer.username, secretSealed: keys.seal(deviceId, secret) });
    try {
      await store.claims.create({ factoryId: code.factoryId, deviceId, verifier: claimVerifier(code), claimedBy: viewer.username });
      await accounts.create(lockAccount(deviceId, secret, 1));
      // Retained: the lock may be between two connections. Cleared once it is online with K.
      await link.publish(topics.claim(code.factoryId), claimMessage(code, lockNonce, deviceId, secret), { qos: 1, retain: true });
    } catch (error) {
      await store.locks.remove(deviceId); // its claim goes with it
      await accounts.remove(deviceId).catch(() => undefined);
      if (error instanceof DuplicateKeyError) throw new AlreadyClaimedError(); // claimed at the same moment by someone else
      this.deps.log.error({ err: error, factoryId: code.factoryId }, 'claim undone: the store, the broker account or the claim message failed');
      throw new Error('The lock could not be claimed just now; try again.', { cause: error });
    }
    this.hellos.forget(code.factoryId);
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.claim', deviceId, result: 'ok', detail: `${name} (factory id ${code.factoryId})` }, lock.owner);
    this.deps.events.publish('lock.changed', lock);
    return lock;
  }

  /** One attempt against the user's and the lock's failure budgets; the returned function gives it back (it did not fail). */
  private async takeAttempts(viewer: UserRecord, factoryId: string): Promise<() => Promise<void>> {
    const { counter } = this.deps;
    const budgets = [
      { key: `claim:user:${viewer.username}`, max: CLAIM_LIMITS.perUser },
      { key: `claim:lock:${factoryId}`, max: CLAIM_LIMITS.perLock },
    ];
    const taken: string[] = [];
    for (const { key, max } of budgets) {
      const { count, resetInMs } = await counter.take(key, CLAIM_LIMITS.windowMs);
      taken.push(key);
      if (count > max) {
        for (const back of taken) await counter.giveBack(back);
        throw new TooManyAttemptsError(Math.max(1, Math.ceil(resetInMs / 1000)), 'claim attempts');
      }
    }
    return async () => {
      for (const key of taken) await counter.giveBack(key);
    };
  }

  private async completeIfClaimed(deviceId: string): Promise<void> {
    const claim = await this.deps.store.claims.findByDeviceId(deviceId);
    if (!claim) return;
    await this.holds?.lockOnline(claim.factoryId);
    if (claim.completedAt) return;
    // An empty retained message deletes the claim message: K no longer waits on the broker.
    await this.deps.link.publish(this.deps.topics.claim(claim.factoryId), '', { qos: 1, retain: true });
    const completed = await this.deps.store.claims.markCompleted(claim.factoryId, new Date(this.deps.now?.() ?? Date.now()));
    if (!completed) return; // another replica got there first
    const lock = await this.deps.store.locks.findByDeviceId(deviceId);
    await this.deps.audit.record({ actor: null, action: 'lock.claimed', deviceId, result: 'ok', detail: `factory id ${claim.factoryId}` }, lock?.owner ?? null);
  }
}
