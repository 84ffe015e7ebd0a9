/** MongoDB adapter of lock claims: `_id` is the factory id; a lock's removal deletes its claim (mongo-locks.ts). */
import { DuplicateKeyError } from '../errors.js';
import type { ClaimRepository } from '../ports.js';
import type { ClaimRecord } from '../records.js';
import { AFTER, isDuplicateKey } from './mongo-helpers.js';
import type { LockClaimDoc, MongoModels } from './mongo-models.js';

function toClaim(doc: LockClaimDoc): ClaimRecord {
  return {
    factoryId: doc._id,
    deviceId: doc.device_id,
    verifier: doc.verifier,
    claimedBy: doc.claimed_by,
    claimedAt: doc.claimed_at,
    completedAt: doc.completed_at ?? null,
  };
}

export function createMongoClaims({ claims }: MongoModels): ClaimRepository {
  return {
    async create(claim) {
      try {
        const doc = await claims.create({ _id: claim.factoryId, device_id: claim.deviceId, verifier: claim.verifier, claimed_by: claim.claimedBy, claimed_at: new Date() });
        return toClaim(doc.toObject<LockClaimDoc>());
      } catch (error) {
        if (isDuplicateKey(error)) throw new DuplicateKeyError('factoryId');
        throw error;
      }
    },
    async findByFactoryId(factoryId) {
      const doc = await claims.findById(factoryId).lean<LockClaimDoc>();
      return doc ? toClaim(doc) : null;
    },
    async findByDeviceId(deviceId) {
      const doc = await claims.findOne({ device_id: deviceId }).lean<LockClaimDoc>();
      return doc ? toClaim(doc) : null;
    },
    async markCompleted(factoryId, at) {
      const doc = await claims.findOneAndUpdate({ _id: factoryId, completed_at: null }, { $set: { completed_at: at } }, AFTER).lean<LockClaimDoc>();
      return doc ? toClaim(doc) : null;
    },
  };
}
