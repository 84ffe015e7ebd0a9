import { randomUUID } from 'node:crypto';
import type { SessionRepository } from '../ports.js';
import type { NewSession, SessionRecord } from '../records.js';
import { type Db, fromMsOrNull, inserted, sqlLimit, toMs, writeReturning } from './sqlite-helpers.js';

interface SessionRow {
  id: string;
  family_id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  rotated_at: number | null;
  revoked_at: number | null;
}

function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    familyId: row.family_id,
    userId: row.user_id,
    tokenHash: row.token_hash,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    rotatedAt: fromMsOrNull(row.rotated_at),
    revokedAt: fromMsOrNull(row.revoked_at),
  };
}

export function createSqliteSessions(db: Db): SessionRepository {
  const insert = db.prepare<[SessionRow], SessionRow>(
    `INSERT INTO sessions (id, family_id, user_id, token_hash, created_at, expires_at, rotated_at, revoked_at)
     VALUES (@id, @family_id, @user_id, @token_hash, @created_at, @expires_at, @rotated_at, @revoked_at)
     RETURNING *`,
  );
  const byTokenHash = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE token_hash = ?');
  // The WHERE clause is the lock: only one UPDATE can find the session still live.
  const markRotated = db.prepare<[number, string]>(
    'UPDATE sessions SET rotated_at = ? WHERE id = ? AND rotated_at IS NULL AND revoked_at IS NULL',
  );
  const revoke = db.prepare<[number, string]>(
    'UPDATE sessions SET revoked_at = ? WHERE id = ? AND rotated_at IS NULL AND revoked_at IS NULL',
  );
  const revokeFamily = db.prepare<[number, string]>(
    'UPDATE sessions SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL',
  );
  const revokeAllForUser = db.prepare<[number, string]>(
    'UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL',
  );
  // A bounded batch (SQLite has no DELETE … LIMIT by default), found through the expires_at index.
  const deleteExpired = db.prepare<[number, number]>(
    'DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at < ? LIMIT ?)',
  );

  return {
    async create(session: NewSession) {
      const row = writeReturning(insert, {
        id: randomUUID(),
        family_id: session.familyId,
        user_id: session.userId,
        token_hash: session.tokenHash,
        created_at: Date.now(),
        expires_at: toMs(session.expiresAt),
        rotated_at: null,
        revoked_at: null,
      });
      return toSession(inserted(row));
    },
    async findByTokenHash(tokenHash) {
      const row = byTokenHash.get(tokenHash);
      return row ? toSession(row) : null;
    },
    async markRotated(id, at) {
      return markRotated.run(toMs(at), id).changes === 1;
    },
    async revoke(id, at) {
      return revoke.run(toMs(at), id).changes === 1;
    },
    async revokeFamily(familyId, at) {
      revokeFamily.run(toMs(at), familyId);
    },
    async revokeAllForUser(userId, at) {
      revokeAllForUser.run(toMs(at), userId);
    },
    async deleteExpired(before, limit) {
      return deleteExpired.run(toMs(before), sqlLimit(limit)).changes;
    },
  };
}
