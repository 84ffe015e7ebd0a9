/**
 * Ownership transfer (issue 14 item 5): the owner offers a lock to another user, who accepts or
 * declines; the owner may cancel; an offer expires after LOCK_TRANSFER_OFFER_TTL (7 days). One
 * open offer per lock. On acceptance, in this order:
 *   1. the store moves the lock and closes the offer together (lock-transfer-port.ts `accept`);
 *   2. shares are revoked (lock-shares.ts: none exist yet);
 *   3. the lock's SENT commands end FAILED and its command history goes (commands.service.ts
 *      `endForTransfer`); a request of the former owner that passed its check before step 1 is
 *      stopped by the owner check right before publishing;
 *   4. the former owner's sessions drop the lock (`lockAccessLost`, reason TRANSFERRED);
 *   5. the lock's secret is rotated over the air when the lock can take it (key-rotation.ts), so
 *      that whatever the former owner knew of it stops working; otherwise the new owner is told
 *      the lock needs a new secret (rotateDeviceSecret, then flash it).
 * The new owner's audit history of the lock starts at the transfer (audit.resolver.ts scope).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import { normalizeUsername } from '../auth/credentials.js';
import type { CommandsService } from '../commands/commands.service.js';
import type { KeyRotation } from '../devices/key-rotation.js';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors/graphql-errors.js';
import type { EventBus } from '../events/events.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { LockTransferRecord } from '../store/lock-transfer-records.js';
import type { Store } from '../store/ports.js';
import type { LockRecord, UserRecord } from '../store/records.js';
import type { LockShares } from './lock-shares.js';
import type { LocksService } from './locks.service.js';

export interface LockTransfersDeps {
  store: Store;
  locks: LocksService;
  commands: Pick<CommandsService, 'endForTransfer'>;
  keyRotation: Pick<KeyRotation, 'whyNot' | 'start'>;
  shares: LockShares;
  audit: AuditService;
  events: EventBus;
  log: Logger;
  offerTtlMs: number;
  now?: () => number;
}

/** An offer with the name of its lock as it is now (what the recipient recognises). */
export interface TransferOffer {
  offer: LockTransferRecord;
  lockName: string;
}

export interface TransferOffers {
  made: TransferOffer[];
  received: TransferOffer[];
}

/** What happened to the lock's secret on acceptance. */
export type SecretAfterTransfer = { rotation: 'OVER_THE_AIR'; why: null } | { rotation: 'NEEDS_NEW_SECRET'; why: string };

export interface AcceptedTransfer {
  lock: LockRecord;
  secret: SecretAfterTransfer;
}

const noLongerOpen = () => new BadUserInputError('This offer is no longer open: it was accepted, declined, cancelled or has expired.', 'offerId');

export class LockTransfersService {
  private readonly now: () => number;

  constructor(private readonly deps: LockTransfersDeps) {
    this.now = deps.now ?? Date.now;
  }

  async offer(viewer: UserRecord, deviceId: string, rawUsername: string): Promise<TransferOffer> {
    const lock = await this.deps.locks.get(viewer, deviceId, 'manage');
    // Admins see every lock but give one away only with reassignLock.
    if (lock.owner !== viewer.username) throw new ForbiddenError('Only the lock\'s owner may offer it to someone.');
    const toUser = normalizeUsername(rawUsername);
    if (toUser === viewer.username) throw new BadUserInputError('You already own this lock: offer it to someone else.', 'toUsername');
    // Sign-up already tells anyone whether a username is taken, so this reveals nothing new.
    if (!(await this.deps.store.users.findByUsername(toUser))) throw new BadUserInputError(`No user is called "${toUser}".`, 'toUsername');
    const createdAt = new Date(this.now());
    let offer: LockTransferRecord;
    try {
      offer = await this.deps.store.lockTransfers.create({ id: randomUUID(), deviceId, fromUser: viewer.username, toUser, createdAt, expiresAt: new Date(createdAt.getTime() + this.deps.offerTtlMs) });
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new BadUserInputError('This lock is already offered to someone: cancel that offer first.', 'deviceId');
      throw error;
    }
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.transferOffered', deviceId, result: 'ok', detail: `to ${toUser}; open until ${offer.expiresAt.toISOString()}` }, lock.owner);
    return this.announce(offer, lock.name);
  }

  async cancel(viewer: UserRecord, offerId: string): Promise<TransferOffer> {
    const offer = await this.offerOf(viewer, offerId, 'fromUser');
    const ended = await this.deps.store.lockTransfers.end(offer.id, 'CANCELLED', new Date(this.now()));
    if (!ended) throw noLongerOpen();
    const lock = await this.deps.store.locks.findByDeviceId(ended.deviceId);
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.transferCancelled', deviceId: ended.deviceId, result: 'ok', detail: `to ${ended.toUser}` }, lock?.owner ?? null);
    return this.announce(ended, lock?.name ?? ended.deviceId);
  }

  async decline(viewer: UserRecord, offerId: string): Promise<TransferOffer> {
    const offer = await this.offerOf(viewer, offerId, 'toUser');
    const ended = await this.deps.store.lockTransfers.end(offer.id, 'DECLINED', new Date(this.now()));
    if (!ended) throw noLongerOpen();
    const lock = await this.deps.store.locks.findByDeviceId(ended.deviceId);
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.transferDeclined', deviceId: ended.deviceId, result: 'ok', detail: `from ${ended.fromUser}` }, lock?.owner ?? null);
    return this.announce(ended, lock?.name ?? ended.deviceId);
  }

  async accept(viewer: UserRecord, offerId: string): Promise<AcceptedTransfer> {
    const offer = await this.offerOf(viewer, offerId, 'toUser');
    const accepted = await this.deps.store.lockTransfers.accept(offer.id, new Date(this.now()));
    if (!accepted) throw noLongerOpen();
    const { deviceId, fromUser } = accepted.offer;
    let lock = accepted.lock;
    await this.deps.shares.revokeAll(deviceId, 'transferred');
    await this.deps.commands.endForTransfer(deviceId, fromUser, accepted.offer.endedAt ?? new Date(this.now()));
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.transferred', deviceId, result: 'ok', detail: `${fromUser} → ${viewer.username}` }, lock.owner, lock);
    this.deps.events.publish('lock.changed', lock);
    this.deps.events.publish('lock.accessLost', { deviceId, formerOwner: fromUser, newOwner: lock.owner, reason: 'transferred', at: new Date(this.now()) });
    this.announce(accepted.offer, lock.name);
    let why = this.deps.keyRotation.whyNot(lock);
    if (why === null) {
      try {
        lock = await this.deps.keyRotation.start(lock, viewer.username);
      } catch (error) {
        this.deps.log.warn({ err: error, deviceId }, 'over-the-air rotation after a transfer did not start');
        why = 'the rotation could not start';
      }
    }
    return { lock, secret: why === null ? { rotation: 'OVER_THE_AIR', why: null } : { rotation: 'NEEDS_NEW_SECRET', why } };
  }

  /** Open offers the viewer made and received, each still standing (its lock still the offerer's). */
  async list(viewer: UserRecord): Promise<TransferOffers> {
    const offers = await this.deps.store.lockTransfers.listOpen(viewer.username, new Date(this.now()));
    const locks = new Map((await this.deps.store.locks.findByDeviceIds([...new Set(offers.map((o) => o.deviceId))])).map((l) => [l.deviceId, l]));
    const standing = offers.flatMap((offer) => {
      const lock = locks.get(offer.deviceId);
      return lock && lock.owner === offer.fromUser ? [{ offer, lockName: lock.name }] : [];
    });
    return {
      made: standing.filter(({ offer }) => offer.fromUser === viewer.username),
      received: standing.filter(({ offer }) => offer.toUser === viewer.username),
    };
  }

  /** The offer if the viewer is its `party`; NOT_FOUND otherwise, exactly like a missing one. */
  private async offerOf(viewer: UserRecord, offerId: string, party: 'fromUser' | 'toUser'): Promise<LockTransferRecord> {
    const offer = await this.deps.store.lockTransfers.findById(offerId);
    if (!offer || offer[party] !== viewer.username) throw new NotFoundError(`Transfer offer "${offerId}"`);
    return offer;
  }

  private announce(offer: LockTransferRecord, lockName: string): TransferOffer {
    const result = { offer, lockName };
    this.deps.events.publish('lock.transferChanged', result);
    return result;
  }
}
