/** SQLite adapters of recovery links and recovery email addresses (one row per user in each). */
import type { RecoveryTokenRepository, UserEmailRepository } from '../ports.js';
import type { RecoveryTokenRecord, UserEmailRecord } from '../records.js';
import { type Db, fromMsOrNull, toMs, writeReturning } from './sqlite-helpers.js';

interface RecoveryRow {
  user_id: string;
  token_hash: string;
  issued_by: string;
  reset_second_factor: number;
  created_at: number;
  expires_at: number;
}

interface EmailRow {
  user_id: string;
  address: string;
  verified_at: number | null;
  verify_token_hash: string | null;
  verify_expires_at: number | null;
}

function toRecovery(row: RecoveryRow): RecoveryTokenRecord {
  return {
    userId: row.user_id,
    tokenHash: row.token_hash,
    issuedBy: row.issued_by === 'admin' ? 'admin' : 'email',
    resetSecondFactor: row.reset_second_factor === 1,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
  };
}

function toEmail(row: EmailRow): UserEmailRecord {
  return {
    userId: row.user_id,
    address: row.address,
    verifiedAt: fromMsOrNull(row.verified_at),
    verifyTokenHash: row.verify_token_hash,
    verifyExpiresAt: fromMsOrNull(row.verify_expires_at),
  };
}

export function createSqliteRecoveryTokens(db: Db): RecoveryTokenRepository {
  const replace = db.prepare<[string, string, string, number, number, number]>(
    `INSERT INTO recovery_tokens (user_id, token_hash, issued_by, reset_second_factor, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, issued_by = excluded.issued_by,
       reset_second_factor = excluded.reset_second_factor, created_at = excluded.created_at, expires_at = excluded.expires_at`,
  );
  // One statement: of two concurrent redemptions only one deletes the row.
  const consume = db.prepare<[string, number], RecoveryRow>('DELETE FROM recovery_tokens WHERE token_hash = ? AND expires_at > ? RETURNING *');
  const removeForUser = db.prepare<[string]>('DELETE FROM recovery_tokens WHERE user_id = ?');
  const find = db.prepare<[string, number], RecoveryRow>('SELECT * FROM recovery_tokens WHERE token_hash = ? AND expires_at > ?');
  return {
    async replace(token) {
      replace.run(token.userId, token.tokenHash, token.issuedBy, token.resetSecondFactor ? 1 : 0, toMs(token.createdAt), toMs(token.expiresAt));
    },
    async find(tokenHash, now) {
      const row = find.get(tokenHash, toMs(now));
      return row ? toRecovery(row) : null;
    },
    async consume(tokenHash, now) {
      const row = writeReturning(consume, tokenHash, toMs(now));
      return row ? toRecovery(row) : null;
    },
    async removeForUser(userId) {
      removeForUser.run(userId);
    },
  };
}

export function createSqliteEmails(db: Db): UserEmailRepository {
  const find = db.prepare<[string], EmailRow>('SELECT * FROM user_emails WHERE user_id = ?');
  const setUnverified = db.prepare<[string, string, string, number], EmailRow>(
    `INSERT INTO user_emails (user_id, address, verified_at, verify_token_hash, verify_expires_at) VALUES (?, ?, NULL, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET address = excluded.address, verified_at = NULL,
       verify_token_hash = excluded.verify_token_hash, verify_expires_at = excluded.verify_expires_at
     RETURNING *`,
  );
  const verify = db.prepare<[number, string, number], EmailRow>(
    'UPDATE user_emails SET verified_at = ?, verify_token_hash = NULL, verify_expires_at = NULL WHERE verify_token_hash = ? AND verify_expires_at > ? RETURNING *',
  );
  const findVerified = db.prepare<[string], EmailRow>('SELECT * FROM user_emails WHERE address = ? AND verified_at IS NOT NULL ORDER BY user_id');
  const remove = db.prepare<[string]>('DELETE FROM user_emails WHERE user_id = ?');
  return {
    async find(userId) {
      const row = find.get(userId);
      return row ? toEmail(row) : null;
    },
    async setUnverified(userId, address, verifyTokenHash, verifyExpiresAt) {
      const row = writeReturning(setUnverified, userId, address, verifyTokenHash, toMs(verifyExpiresAt));
      if (!row) throw new Error('user_emails upsert returned no row');
      return toEmail(row);
    },
    async verify(verifyTokenHash, now) {
      const row = writeReturning(verify, toMs(now), verifyTokenHash, toMs(now));
      return row ? toEmail(row) : null;
    },
    async findVerifiedByAddress(address) {
      return findVerified.all(address).map(toEmail);
    },
    async remove(userId) {
      return remove.run(userId).changes === 1;
    },
  };
}
