/** MongoDB adapter of Bluetooth offline keys, revocation lists and reported uses. */
import type { OfflineKeyRepository } from '../offline-key-port.js';
import type { BleRevocationListRecord, OfflineKeyActions, OfflineKeyRecord, OfflineKeyScope } from '../offline-key-records.js';
import { isDuplicateKey } from './mongo-helpers.js';
import type { BleRevocationListDoc, MongoModels, OfflineKeyDoc } from './mongo-models.js';

function toKey(doc: OfflineKeyDoc): OfflineKeyRecord {
  return { kid: doc._id, deviceId: doc.device_id, userId: doc.user_id, act: doc.act as OfflineKeyActions, nb: doc.nb, na: doc.na, revokedAt: doc.revoked_at ?? null, createdAt: doc.created_at };
}

function toList(doc: BleRevocationListDoc): BleRevocationListRecord {
  return { deviceId: doc._id, listId: doc.list_id, before: doc.before, kids: doc.kids, sentAt: doc.sent_at, ackedAt: doc.acked_at ?? null };
}

function filterOf(scope: OfflineKeyScope): Record<string, string> {
  if (!('deviceId' in scope)) return { user_id: scope.userId };
  return { device_id: scope.deviceId, ...(scope.userId === undefined ? {} : { user_id: scope.userId }), ...(scope.kid === undefined ? {} : { _id: scope.kid }) };
}

const NEWEST = { nb: -1, _id: -1 } as const;

export function createMongoOfflineKeys({ offlineKeys, bleRevocationLists, offlineKeyUses }: MongoModels): OfflineKeyRepository {
  return {
    async create(key) {
      const doc = await offlineKeys.create({ _id: key.kid, device_id: key.deviceId, user_id: key.userId, act: key.act, nb: key.nb, na: key.na, revoked_at: null, created_at: key.createdAt });
      return toKey(doc.toObject<OfflineKeyDoc>());
    },
    async find(kid) {
      const doc = await offlineKeys.findById(kid).lean<OfflineKeyDoc>();
      return doc ? toKey(doc) : null;
    },
    async latestLive(deviceId, userId, nowS) {
      const doc = await offlineKeys.findOne({ device_id: deviceId, user_id: userId, revoked_at: null, na: { $gt: nowS } }).sort(NEWEST).lean<OfflineKeyDoc>();
      return doc ? toKey(doc) : null;
    },
    async revoke(scope, at) {
      // No multi-document transaction: each key is claimed by one conditional update, so across
      // replicas each revoked key is returned once.
      const candidates = await offlineKeys.find({ ...filterOf(scope), revoked_at: null }).lean<OfflineKeyDoc[]>();
      const revoked: OfflineKeyRecord[] = [];
      for (const candidate of candidates) {
        const doc = await offlineKeys.findOneAndUpdate({ _id: candidate._id, revoked_at: null }, { $set: { revoked_at: at } }, { returnDocument: 'after' }).lean<OfflineKeyDoc>();
        if (doc) revoked.push(toKey(doc));
      }
      return revoked;
    },
    async revokedUnexpired(deviceId, nowS) {
      const docs = await offlineKeys.find({ device_id: deviceId, revoked_at: { $ne: null }, na: { $gt: nowS } }).sort(NEWEST).lean<OfflineKeyDoc[]>();
      return docs.map(toKey);
    },
    async removeByDevice(deviceId) {
      await offlineKeys.deleteMany({ device_id: deviceId });
      await bleRevocationLists.deleteOne({ _id: deviceId });
      await offlineKeyUses.deleteMany({ device_id: deviceId });
    },
    async recordUse(deviceId, kid, op, at) {
      try {
        await offlineKeyUses.create({ _id: `${deviceId}/${kid}.${op}.${at}`, device_id: deviceId });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async findList(deviceId) {
      const doc = await bleRevocationLists.findById(deviceId).lean<BleRevocationListDoc>();
      return doc ? toList(doc) : null;
    },
    async putList(list) {
      await bleRevocationLists.updateOne(
        { _id: list.deviceId },
        { $set: { list_id: list.listId, before: list.before, kids: list.kids, sent_at: list.sentAt, acked_at: null } },
        { upsert: true },
      );
    },
    async ackList(deviceId, listId, at) {
      const result = await bleRevocationLists.updateOne({ _id: deviceId, list_id: listId, acked_at: null }, { $set: { acked_at: at } });
      return result.modifiedCount === 1;
    },
  };
}
