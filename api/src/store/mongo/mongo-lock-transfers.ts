/**
 * MongoDB adapter of lock transfer offers. A standalone server has no multi-document transactions:
 * acceptance marks the offer first, then moves the lock only while the offerer owns it, and
 * cancels the offer when that fails. A crash between the two leaves an ACCEPTED offer whose lock
 * did not move: the lock stays with its owner, who may offer it again.
 */
import { DuplicateKeyError } from '../errors.js';
import type { LockTransferRepository } from '../lock-transfer-port.js';
import type { LockTransferRecord, LockTransferState } from '../lock-transfer-records.js';
import { AFTER, isDuplicateKey } from './mongo-helpers.js';
import { toLock } from './mongo-lock-docs.js';
import type { LockDoc, LockTransferDoc, MongoModels } from './mongo-models.js';

function toTransfer(doc: LockTransferDoc): LockTransferRecord {
  return {
    id: doc._id,
    deviceId: doc.device_id,
    fromUser: doc.from_user,
    toUser: doc.to_user,
    state: doc.state as LockTransferState,
    createdAt: doc.created_at,
    expiresAt: doc.expires_at,
    endedAt: doc.ended_at ?? null,
  };
}

export function createMongoLockTransfers({ lockTransfers, locks }: MongoModels): LockTransferRepository {
  return {
    async create(offer) {
      const now = offer.createdAt;
      // Clears the way: expired offers, and those of a former owner (reassigned since).
      await lockTransfers.updateMany({ device_id: offer.deviceId, state: 'OPEN', expires_at: { $lte: now } }, { $set: { state: 'EXPIRED' } });
      await lockTransfers.updateMany({ device_id: offer.deviceId, state: 'OPEN', from_user: { $ne: offer.fromUser } }, { $set: { state: 'CANCELLED', ended_at: now } });
      try {
        const doc = await lockTransfers.create({
          _id: offer.id,
          device_id: offer.deviceId,
          from_user: offer.fromUser,
          to_user: offer.toUser,
          state: 'OPEN',
          created_at: now,
          expires_at: offer.expiresAt,
        });
        return toTransfer(doc.toObject<LockTransferDoc>());
      } catch (error) {
        if (isDuplicateKey(error)) throw new DuplicateKeyError('deviceId');
        throw error;
      }
    },
    async findById(id) {
      const doc = await lockTransfers.findById(id).lean<LockTransferDoc>();
      return doc ? toTransfer(doc) : null;
    },
    async listOpen(username, now) {
      const docs = await lockTransfers
        .find({ $or: [{ from_user: username }, { to_user: username }], state: 'OPEN', expires_at: { $gt: now } })
        .sort({ created_at: -1, _id: -1 })
        .lean<LockTransferDoc[]>();
      return docs.map(toTransfer);
    },
    async end(id, state, at) {
      const doc = await lockTransfers
        .findOneAndUpdate({ _id: id, state: 'OPEN', expires_at: { $gt: at } }, { $set: { state, ended_at: at } }, AFTER)
        .lean<LockTransferDoc>();
      return doc ? toTransfer(doc) : null;
    },
    async accept(id, at) {
      const offer = await lockTransfers
        .findOneAndUpdate({ _id: id, state: 'OPEN', expires_at: { $gt: at } }, { $set: { state: 'ACCEPTED', ended_at: at } }, AFTER)
        .lean<LockTransferDoc>();
      if (!offer) return null;
      const lock = await locks
        .findOneAndUpdate({ device_id: offer.device_id, owner: offer.from_user }, { $set: { owner: offer.to_user, updated_at: at } }, AFTER)
        .lean<LockDoc>();
      if (!lock) {
        await lockTransfers.updateOne({ _id: id, state: 'ACCEPTED' }, { $set: { state: 'CANCELLED' } });
        return null;
      }
      return { offer: toTransfer(offer), lock: toLock(lock) };
    },
    async lastAccepted(deviceIds) {
      if (deviceIds.length === 0) return new Map();
      const rows = await lockTransfers.aggregate<{ _id: string; at: Date }>([
        { $match: { state: 'ACCEPTED', device_id: { $in: [...deviceIds] } } },
        { $group: { _id: '$device_id', at: { $max: '$ended_at' } } },
      ]);
      return new Map(rows.map((row) => [row._id, row.at]));
    },
    async forgetUser(username, pseudonym) {
      await lockTransfers.deleteMany({ state: 'OPEN', $or: [{ from_user: username }, { to_user: username }] });
      await lockTransfers.updateMany({ from_user: username }, { $set: { from_user: pseudonym } });
      await lockTransfers.updateMany({ to_user: username }, { $set: { to_user: pseudonym } });
    },
  };
}
