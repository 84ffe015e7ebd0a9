/** MongoDB adapter of lock shares and share invitations (removed with their lock by mongo-locks.ts `remove`). */
import type { LockShareRepository } from '../lock-share-port.js';
import type { LockShareRecord, ShareInvitationRecord, ShareRole, StoredAccessRule, StoredWeeklySlot } from '../lock-share-records.js';
import { AFTER, isDuplicateKey } from './mongo-helpers.js';
import type { LockShareDoc, MongoModels, ShareInvitationDoc } from './mongo-models.js';

function ruleOf(doc: { starts_at?: Date | null; ends_at?: Date | null; weekly: string }): StoredAccessRule {
  return { startsAt: doc.starts_at ?? null, endsAt: doc.ends_at ?? null, weekly: JSON.parse(doc.weekly) as StoredWeeklySlot[] };
}

const ruleDoc = (rule: StoredAccessRule) => ({ starts_at: rule.startsAt, ends_at: rule.endsAt, weekly: JSON.stringify(rule.weekly) });

function toShare(doc: LockShareDoc): LockShareRecord {
  return {
    id: doc._id,
    deviceId: doc.device_id,
    guest: doc.guest,
    role: doc.role as ShareRole,
    ...ruleOf(doc),
    createdBy: doc.created_by,
    createdAt: doc.created_at,
    updatedAt: doc.updated_at,
  };
}

function toInvitation(doc: ShareInvitationDoc): ShareInvitationRecord {
  return {
    id: doc._id,
    deviceId: doc.device_id,
    tokenHash: doc.token_hash,
    role: doc.role as ShareRole,
    ...ruleOf(doc),
    createdBy: doc.created_by,
    createdAt: doc.created_at,
    expiresAt: doc.expires_at,
    usedAt: doc.used_at ?? null,
    usedBy: doc.used_by ?? null,
  };
}

export function createMongoLockShares({ lockShares, shareInvitations }: MongoModels): LockShareRepository {
  const sorted = { created_at: 1, _id: 1 } as const;

  async function put(share: Parameters<LockShareRepository['put']>[0]): Promise<LockShareRecord> {
    const set = { role: share.role, ...ruleDoc(share.rule), created_by: share.createdBy, updated_at: share.at };
    const filter = { device_id: share.deviceId, guest: share.guest };
    const existing = await lockShares.findOneAndUpdate(filter, { $set: set }, AFTER).lean<LockShareDoc>();
    if (existing) return toShare(existing);
    try {
      const doc = await lockShares.create({ _id: share.id, ...filter, ...set, created_at: share.at });
      return toShare(doc.toObject<LockShareDoc>());
    } catch (error) {
      // Another request shared it with the same person meanwhile: theirs is replaced, as above.
      if (!isDuplicateKey(error)) throw error;
      const raced = await lockShares.findOneAndUpdate(filter, { $set: set }, AFTER).lean<LockShareDoc>();
      if (!raced) throw error;
      return toShare(raced);
    }
  }

  return {
    put,
    async findById(id) {
      const doc = await lockShares.findById(id).lean<LockShareDoc>();
      return doc ? toShare(doc) : null;
    },
    async find(deviceId, guest) {
      const doc = await lockShares.findOne({ device_id: deviceId, guest }).lean<LockShareDoc>();
      return doc ? toShare(doc) : null;
    },
    async listByDevice(deviceId) {
      return (await lockShares.find({ device_id: deviceId }).sort(sorted).lean<LockShareDoc[]>()).map(toShare);
    },
    async listByGuest(guest) {
      return (await lockShares.find({ guest }).sort(sorted).lean<LockShareDoc[]>()).map(toShare);
    },
    async update(id, { role, rule, at }) {
      const doc = await lockShares.findOneAndUpdate({ _id: id }, { $set: { role, ...ruleDoc(rule), updated_at: at } }, AFTER).lean<LockShareDoc>();
      return doc ? toShare(doc) : null;
    },
    async remove(id) {
      const doc = await lockShares.findOneAndDelete({ _id: id }).lean<LockShareDoc>();
      return doc ? toShare(doc) : null;
    },
    async removeByDevice(deviceId) {
      await shareInvitations.deleteMany({ device_id: deviceId });
      const docs = await lockShares.find({ device_id: deviceId }).sort(sorted).lean<LockShareDoc[]>();
      const gone: LockShareRecord[] = [];
      // One by one, so that what is reported is exactly what this call removed.
      for (const doc of docs) if ((await lockShares.deleteOne({ _id: doc._id })).deletedCount > 0) gone.push(toShare(doc));
      return gone;
    },
    async createInvitation(i) {
      const doc = await shareInvitations.create({
        _id: i.id,
        device_id: i.deviceId,
        token_hash: i.tokenHash,
        role: i.role,
        ...ruleDoc(i),
        created_by: i.createdBy,
        created_at: i.createdAt,
        expires_at: i.expiresAt,
        used_at: null,
        used_by: null,
      });
      return toInvitation(doc.toObject<ShareInvitationDoc>());
    },
    async findInvitation(id) {
      const doc = await shareInvitations.findById(id).lean<ShareInvitationDoc>();
      return doc ? toInvitation(doc) : null;
    },
    async findInvitationByTokenHash(tokenHash) {
      const doc = await shareInvitations.findOne({ token_hash: tokenHash }).lean<ShareInvitationDoc>();
      return doc ? toInvitation(doc) : null;
    },
    async listPendingInvitations(deviceId, now) {
      const docs = await shareInvitations.find({ device_id: deviceId, used_at: null, expires_at: { $gt: now } }).sort({ created_at: -1, _id: -1 }).lean<ShareInvitationDoc[]>();
      return docs.map(toInvitation);
    },
    async useInvitation(id, username, at) {
      const doc = await shareInvitations
        .findOneAndUpdate({ _id: id, used_at: null, expires_at: { $gt: at } }, { $set: { used_at: at, used_by: username } }, AFTER)
        .lean<ShareInvitationDoc>();
      return doc ? toInvitation(doc) : null;
    },
    async cancelInvitation(id) {
      return (await shareInvitations.deleteOne({ _id: id, used_at: null })).deletedCount > 0;
    },
    async forgetUser(username, pseudonym) {
      const held = await lockShares.find({ guest: username }).lean<LockShareDoc[]>();
      await lockShares.deleteMany({ guest: username });
      await shareInvitations.deleteMany({ created_by: username, used_at: null });
      await lockShares.updateMany({ created_by: username }, { $set: { created_by: pseudonym } });
      await shareInvitations.updateMany({ created_by: username }, { $set: { created_by: pseudonym } });
      await shareInvitations.updateMany({ used_by: username }, { $set: { used_by: pseudonym } });
      return held.map(toShare);
    },
  };
}
