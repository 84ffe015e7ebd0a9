/** MongoDB adapters of recovery links and recovery email addresses (one document per user in each). */
import type { RecoveryTokenRepository, UserEmailRepository } from '../ports.js';
import type { RecoveryTokenRecord, UserEmailRecord } from '../records.js';
import type { MongoModels, RecoveryTokenDoc, UserEmailDoc } from './mongo-models.js';

function toRecovery(doc: RecoveryTokenDoc): RecoveryTokenRecord {
  return {
    userId: doc.user_id,
    tokenHash: doc.token_hash,
    issuedBy: doc.issued_by === 'admin' ? 'admin' : 'email',
    resetSecondFactor: doc.reset_second_factor,
    createdAt: doc.created_at,
    expiresAt: doc.expires_at,
  };
}

function toEmail(doc: UserEmailDoc): UserEmailRecord {
  return {
    userId: doc.user_id,
    address: doc.address,
    verifiedAt: doc.verified_at ?? null,
    verifyTokenHash: doc.verify_token_hash ?? null,
    verifyExpiresAt: doc.verify_expires_at ?? null,
  };
}

export function createMongoRecoveryTokens({ recoveryTokens }: MongoModels): RecoveryTokenRepository {
  return {
    async replace(token) {
      const fields = {
        token_hash: token.tokenHash,
        issued_by: token.issuedBy,
        reset_second_factor: token.resetSecondFactor,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
      };
      await recoveryTokens.updateOne({ user_id: token.userId }, { $set: fields }, { upsert: true });
    },
    async find(tokenHash, now) {
      const doc = await recoveryTokens.findOne({ token_hash: tokenHash, expires_at: { $gt: now } }).lean<RecoveryTokenDoc>();
      return doc ? toRecovery(doc) : null;
    },
    async consume(tokenHash, now) {
      const doc = await recoveryTokens.findOneAndDelete({ token_hash: tokenHash, expires_at: { $gt: now } }).lean<RecoveryTokenDoc>();
      return doc ? toRecovery(doc) : null;
    },
    async removeForUser(userId) {
      await recoveryTokens.deleteOne({ user_id: userId });
    },
  };
}

export function createMongoEmails({ emails }: MongoModels): UserEmailRepository {
  return {
    async find(userId) {
      const doc = await emails.findOne({ user_id: userId }).lean<UserEmailDoc>();
      return doc ? toEmail(doc) : null;
    },
    async setUnverified(userId, address, verifyTokenHash, verifyExpiresAt) {
      const doc = await emails
        .findOneAndUpdate(
          { user_id: userId },
          { $set: { address, verified_at: null, verify_token_hash: verifyTokenHash, verify_expires_at: verifyExpiresAt } },
          { upsert: true, new: true },
        )
        .lean<UserEmailDoc>();
      if (!doc) throw new Error('user_emails upsert returned no document');
      return toEmail(doc);
    },
    async verify(verifyTokenHash, now) {
      const doc = await emails
        .findOneAndUpdate(
          { verify_token_hash: verifyTokenHash, verify_expires_at: { $gt: now } },
          // Unset, not null: the unique sparse index skips only missing fields.
          { $set: { verified_at: now }, $unset: { verify_token_hash: 1, verify_expires_at: 1 } },
          { new: true },
        )
        .lean<UserEmailDoc>();
      return doc ? toEmail(doc) : null;
    },
    async findVerifiedByAddress(address) {
      const docs = await emails.find({ address, verified_at: { $ne: null } }).sort({ user_id: 1 }).lean<UserEmailDoc[]>();
      return docs.map(toEmail);
    },
    async remove(userId) {
      return (await emails.deleteOne({ user_id: userId })).deletedCount === 1;
    },
  };
}
