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
    familyCreatedAt: doc.family_created_at ?? doc.created_at,
    userAgent: doc.user_agent ?? null,
    clientAddress: doc.client_address ?? null,
    authenticatedAt: doc.authenticated_at ?? doc.family_created_at ?? doc.created_at,
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
      const now = new Date();
      const familyCreatedAt = session.familyCreatedAt ?? now;
      const doc: SessionDoc = {
        _id: new Types.ObjectId(),
        family_id: session.familyId,
        user_id: session.userId,
        token_hash: session.tokenHash,
        created_at: now,
        expires_at: session.expiresAt,
        rotated_at: null,
        revoked_at: null,
        family_created_at: familyCreatedAt,
        user_agent: session.userAgent ?? null,
        client_address: session.clientAddress ?? null,
        authenticated_at: session.authenticatedAt ?? familyCreatedAt,
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
    async revokeAllForUser(userId, at, exceptFamilyId) {
      const kept = exceptFamilyId === undefined ? {} : { family_id: { $ne: exceptFamilyId } };
      await sessions.updateMany({ user_id: userId, revoked_at: null, ...kept }, { $set: { revoked_at: at } });
    },
    async markAuthenticated(familyId, at) {
      const result = await sessions.updateMany({ family_id: familyId, revoked_at: null }, { $set: { authenticated_at: at } });
      return result.modifiedCount > 0;
    },
    async listLive(userId, now) {
      const docs = await sessions
        .find({ user_id: userId, rotated_at: null, revoked_at: null, expires_at: { $gt: now } })
        .sort({ created_at: -1, _id: 1 })
        .lean<SessionDoc[]>();
      return docs.map(toSession);
    },
    async isFamilyLive(familyId, now) {
      return (await sessions.exists({ family_id: familyId, revoked_at: null, expires_at: { $gt: now } })) !== null;
    },
    async deleteExpired(before, limit) {
      return deleteBatch(sessions, { expires_at: { $lt: before } }, limit);
    },
  };
}
