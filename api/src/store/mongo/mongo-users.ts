import { Types } from 'mongoose';
import { DuplicateKeyError } from '../errors.js';
import type { UserRepository } from '../ports.js';
import type { NewUser, Role, UserRecord } from '../records.js';
import { AFTER, isDuplicateKey, objectIdOrNull } from './mongo-helpers.js';
import type { MongoModels, UserDoc } from './mongo-models.js';
import { seedDate } from './seed-dates.js';

/** Seed users may carry a lower-case role and lack the newer fields. */
function toUser(doc: UserDoc): UserRecord {
  const role: Role = doc.role?.toUpperCase() === 'ADMIN' ? 'ADMIN' : 'USER';
  return {
    id: doc._id.toHexString(),
    username: doc.username,
    passwordHash: doc.password_hash ?? '',
    role,
    tokenVersion: doc.token_version ?? 0,
    createdAt: seedDate(doc.created_at) ?? doc._id.getTimestamp(),
  };
}

export function createMongoUsers({ users, sessions, recoveryTokens, emails, passkeys, totp }: MongoModels): UserRepository {
  return {
    async create(user: NewUser) {
      const doc: UserDoc = {
        _id: new Types.ObjectId(),
        username: user.username,
        password_hash: user.passwordHash,
        role: user.role,
        token_version: 0,
        created_at: new Date(),
      };
      try {
        await users.create(doc);
      } catch (error) {
        if (isDuplicateKey(error)) throw new DuplicateKeyError('username');
        throw error;
      }
      return toUser(doc);
    },
    async findById(id) {
      const _id = objectIdOrNull(id);
      const doc = _id && (await users.findById(_id).lean<UserDoc>());
      return doc ? toUser(doc) : null;
    },
    async findByUsername(username) {
      const doc = await users.findOne({ username }).lean<UserDoc>();
      return doc ? toUser(doc) : null;
    },
    async list() {
      return (await users.find().sort({ username: 1 }).lean<UserDoc[]>()).map(toUser);
    },
    async setRole(username, role) {
      const doc = await users.findOneAndUpdate({ username }, { $set: { role } }, AFTER).lean<UserDoc>();
      return doc ? toUser(doc) : null;
    },
    async setPasswordHash(username, passwordHash) {
      const doc = await users
        .findOneAndUpdate({ username }, { $set: { password_hash: passwordHash } }, AFTER)
        .lean<UserDoc>();
      return doc ? toUser(doc) : null;
    },
    async bumpTokenVersion(userId) {
      const _id = objectIdOrNull(userId);
      // $inc is atomic on the server, and starts a missing field (a seed user) from 0.
      const doc = _id && (await users.findByIdAndUpdate(_id, { $inc: { token_version: 1 } }, AFTER).lean<UserDoc>());
      return doc ? (doc.token_version ?? 0) : null;
    },
    async remove(userId) {
      const _id = objectIdOrNull(userId);
      if (!_id) return false;
      // No cascade in MongoDB: the caller has ended the sessions and push subscriptions.
      await sessions.deleteMany({ user_id: userId });
      // As SQLite's ON DELETE CASCADE: a recovery link or address must not outlive the account.
      await recoveryTokens.deleteMany({ user_id: userId });
      await emails.deleteMany({ user_id: userId });
      // Their sign-in methods go with them (SQLite cascades).
      await passkeys.deleteMany({ user_id: userId });
      await totp.deleteMany({ user_id: userId });
      return (await users.deleteOne({ _id })).deletedCount > 0;
    },
    async invalidateAllTokenVersions(atLeast) {
      // Two updates, each atomic per document: +1 on its own stored value, then at least `atLeast`.
      // (One update pipeline would do both, but not every server takes pipelines.) Restores run with
      // the api stopped; an interrupted one is simply run again.
      const result = await users.updateMany({}, { $inc: { token_version: 1 } });
      await users.updateMany({}, { $max: { token_version: atLeast } });
      return result.modifiedCount;
    },
  };
}
