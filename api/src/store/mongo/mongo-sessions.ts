import { Types } from 'mongoose';
import type { SessionRepository } from '../ports.js';
import type { NewSession, SessionRecord } from '../records.js';
import { deleteBatch, objectIdOrNull } from './mongo-helpers.js';
import type { MongoModels, SessionDoc } from './mongo-models.js';

function toSession(doc: SessionDoc): SessionRecord {
  return {
    id: doc._id.toHexString(),
    familyId: doc.family_id,
    userId: doc.user_id,
    tokenHash: doc.token_hash,
    createdAt: doc.created_at,
    expiresAt: doc.expires_at,
    rotatedAt: doc.rotated_at ?? null,
    revokedAt: doc.revoked_at ?? null,
  };
}

export function createMongoSessions({ sessions }: MongoModels): SessionRepository {
  /** Sets `field` on one session if it is still live; the filter makes the check and the write one atomic step. */
  async function endIfLive(id: string, field: 'rotated_at' | 'revoked_at', at: Date): Promise<boolean> {
    const _id = objectIdOrNull(id);
    if (_id === null) return false;
    const result = await sessions.updateOne({ _id, rotated_at: null, revoked_at: null }, { $set: { [field]: at } });
    return result.modifiedCount === 1;
  }

  return {
    async create(session: NewSession) {
      const doc: SessionDoc = {
        _id: new Types.ObjectId(),
        family_id: session.familyId,
        user_id: session.userId,
        token_hash: session.tokenHash,
        created_at: new Date(),
        expires_at: session.expiresAt,
        rotated_at: null,
        revoked_at: null,
      };
      await sessions.create(doc);
      return toSession(doc);
    },
    async findByTokenHash(tokenHash) {
      const doc = await sessions.findOne({ token_hash: tokenHash }).lean<SessionDoc>();
      return doc ? toSession(doc) : null;
    },
    async markRotated(id, at) {
      return endIfLive(id, 'rotated_at', at);
    },
    async revoke(id, at) {
      return endIfLive(id, 'revoked_at', at);
    },
    async revokeFamily(familyId, at) {
      await sessions.updateMany({ family_id: familyId, revoked_at: null }, { $set: { revoked_at: at } });
    },
    async revokeAllForUser(userId, at) {
      await sessions.updateMany({ user_id: userId, revoked_at: null }, { $set: { revoked_at: at } });
    },
    async deleteExpired(before, limit) {
      return deleteBatch(sessions, { expires_at: { $lt: before } }, limit);
    },
  };
}
