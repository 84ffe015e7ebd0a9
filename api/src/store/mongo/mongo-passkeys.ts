/** MongoDB adapter of passkeys and their pending WebAuthn challenges. */
import { randomUUID } from 'node:crypto';
import { DuplicateKeyError } from '../errors.js';
import type { PasskeyRepository } from '../ports.js';
import type { PasskeyRecord } from '../records.js';
import { isDuplicateKey } from './mongo-helpers.js';
import type { MongoModels, PasskeyDoc } from './mongo-models.js';

function toPasskey(doc: PasskeyDoc): PasskeyRecord {
  return {
    id: doc._id,
    userId: doc.user_id,
    credentialId: doc.credential_id,
    publicKey: doc.public_key,
    counter: doc.counter,
    transports: [...doc.transports],
    name: doc.name,
    createdAt: doc.created_at,
    lastUsedAt: doc.last_used_at ?? null,
  };
}

export function createMongoPasskeys({ passkeys, webauthnChallenges }: MongoModels): PasskeyRepository {
  return {
    async create(passkey) {
      const doc = {
        _id: randomUUID(),
        user_id: passkey.userId,
        credential_id: passkey.credentialId,
        public_key: passkey.publicKey,
        counter: passkey.counter,
        transports: passkey.transports,
        name: passkey.name,
        created_at: passkey.createdAt ?? new Date(),
        last_used_at: null,
      };
      try {
        await passkeys.create(doc);
      } catch (error) {
        if (isDuplicateKey(error)) throw new DuplicateKeyError('credentialId');
        throw error;
      }
      return toPasskey(doc);
    },
    async listByUser(userId) {
      const docs = await passkeys.find({ user_id: userId }).sort({ created_at: 1, _id: 1 }).lean<PasskeyDoc[]>();
      return docs.map(toPasskey);
    },
    async findByCredentialId(credentialId) {
      const doc = await passkeys.findOne({ credential_id: credentialId }).lean<PasskeyDoc>();
      return doc ? toPasskey(doc) : null;
    },
    async rename(userId, id, name) {
      const doc = await passkeys.findOneAndUpdate({ _id: id, user_id: userId }, { $set: { name } }, { new: true }).lean<PasskeyDoc>();
      return doc ? toPasskey(doc) : null;
    },
    async remove(userId, id) {
      const doc = await passkeys.findOneAndDelete({ _id: id, user_id: userId }).lean<PasskeyDoc>();
      return doc ? toPasskey(doc) : null;
    },
    async recordUse(id, expected, next, at) {
      const result = await passkeys.updateOne({ _id: id, counter: expected }, { $set: { counter: next, last_used_at: at } });
      return result.matchedCount === 1;
    },
    async useChallenge(challenge, expiresAt) {
      // The TTL index forgets expired ones (its monitor runs about once a minute).
      try {
        await webauthnChallenges.create({ _id: challenge, expires_at: expiresAt });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
  };
}
