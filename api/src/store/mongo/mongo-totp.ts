import { Types } from 'mongoose';
import type { TotpRepository } from '../ports.js';
import type { TotpRecord } from '../records.js';
import type { MongoModels, TotpDoc } from './mongo-models.js';

function toTotp(doc: TotpDoc): TotpRecord {
  return {
    userId: doc.user_id,
    secretSealed: doc.secret_sealed,
    confirmedAt: doc.confirmed_at ?? null,
    lastStep: doc.last_step,
    recoveryHashes: [...doc.recovery_hashes],
  };
}

export function createMongoTotp({ totp }: MongoModels): TotpRepository {
  return {
    async find(userId) {
      const doc = await totp.findOne({ user_id: userId }).lean<TotpDoc>();
      return doc ? toTotp(doc) : null;
    },
    async saveUnconfirmed(userId, secretSealed) {
      const reset = { secret_sealed: secretSealed, last_step: 0, recovery_hashes: [] };
      if ((await totp.updateOne({ user_id: userId, confirmed_at: null }, { $set: reset })).matchedCount === 1) return true;
      try {
        await totp.create({ _id: new Types.ObjectId(), user_id: userId, confirmed_at: null, ...reset });
        return true;
      } catch (error) {
        // A confirmed enrolment holds the unique user_id: it is never replaced.
        if ((error as { code?: unknown }).code === 11000) return false;
        throw error;
      }
    },
    async confirm(userId, recoveryHashes, step, at) {
      const result = await totp.updateOne({ user_id: userId, confirmed_at: null }, { $set: { confirmed_at: at, last_step: step, recovery_hashes: recoveryHashes } });
      return result.modifiedCount === 1;
    },
    async useStep(userId, step) {
      const result = await totp.updateOne({ user_id: userId, confirmed_at: { $ne: null }, last_step: { $lt: step } }, { $set: { last_step: step } });
      return result.modifiedCount === 1;
    },
    async useRecoveryCode(userId, hash) {
      const result = await totp.updateOne({ user_id: userId, confirmed_at: { $ne: null }, recovery_hashes: hash }, { $pull: { recovery_hashes: hash } });
      return result.modifiedCount === 1;
    },
    async remove(userId) {
      return (await totp.deleteOne({ user_id: userId })).deletedCount === 1;
    },
    async listSealed() {
      const docs = await totp.find({}, { user_id: 1, secret_sealed: 1 }).lean<Pick<TotpDoc, 'user_id' | 'secret_sealed'>[]>();
      return docs.map((doc) => ({ userId: doc.user_id, secretSealed: doc.secret_sealed }));
    },
    async replaceSealed(userId, expected, next) {
      return (await totp.updateOne({ user_id: userId, secret_sealed: expected }, { $set: { secret_sealed: next } })).modifiedCount === 1;
    },
  };
}
