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
  /** Null for rows written before migration 12: their own created_at stands in. */
  family_created_at: number | null;
  user_agent: string | null;
  client_address: string | null;
  authenticated_at: number | null;
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
    familyCreatedAt: new Date(row.family_created_at ?? row.created_at),
    userAgent: row.user_agent,
    clientAddress: row.client_address,
    authenticatedAt: new Date(row.authenticated_at ?? row.family_created_at ?? row.created_at),
  };
}

export function createSqliteSessions(db: Db): SessionRepository {
  const insert = db.prepare<[SessionRow], SessionRow>(
    `INSERT INTO sessions (id, family_id, user_id, token_hash, created_at, expires_at, rotated_at, revoked_at,
                           family_created_at, user_agent, client_address, authenticated_at)
     VALUES (@id, @family_id, @user_id, @token_hash, @created_at, @expires_at, @rotated_at, @revoked_at,
             @family_created_at, @user_agent, @client_address, @authenticated_at)
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
  const revokeAllForUserExcept = db.prepare<[number, string, string]>(
    'UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND family_id <> ? AND revoked_at IS NULL',
  );
  const listLive = db.prepare<[string, number], SessionRow>(
    `SELECT * FROM sessions WHERE user_id = ? AND rotated_at IS NULL AND revoked_at IS NULL AND expires_at > ?
     ORDER BY created_at DESC, id`,
  );
  const markAuthenticated = db.prepare<[number, string]>(
    'UPDATE sessions SET authenticated_at = ? WHERE family_id = ? AND revoked_at IS NULL',
  );
  const familyLive = db.prepare<[string, number], { live: number }>(
    'SELECT 1 AS live FROM sessions WHERE family_id = ? AND revoked_at IS NULL AND expires_at > ? LIMIT 1',
  );
  // A bounded batch (SQLite has no DELETE … LIMIT by default), found through the expires_at index.
  const deleteExpired = db.prepare<[number, number]>(
    'DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at < ? LIMIT ?)',
  );

  return {
    async create(session: NewSession) {
      const now = Date.now();
      const familyCreatedAt = session.familyCreatedAt ? toMs(session.familyCreatedAt) : now;
      const row = writeReturning(insert, {
        id: randomUUID(),
        family_id: session.familyId,
        user_id: session.userId,
        token_hash: session.tokenHash,
        created_at: now,
        expires_at: toMs(session.expiresAt),
        rotated_at: null,
        revoked_at: null,
        family_created_at: familyCreatedAt,
        user_agent: session.userAgent ?? null,
        client_address: session.clientAddress ?? null,
        authenticated_at: session.authenticatedAt ? toMs(session.authenticatedAt) : familyCreatedAt,
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
    async revokeAllForUser(userId, at, exceptFamilyId) {
      if (exceptFamilyId === undefined) revokeAllForUser.run(toMs(at), userId);
      else revokeAllForUserExcept.run(toMs(at), userId, exceptFamilyId);
    },
    async markAuthenticated(familyId, at) {
      return markAuthenticated.run(toMs(at), familyId).changes > 0;
    },
    async listLive(userId, now) {
      return listLive.all(userId, toMs(now)).map(toSession);
    },
    async isFamilyLive(familyId, now) {
      return familyLive.get(familyId, toMs(now)) !== undefined;
    },
    async deleteExpired(before, limit) {
      return deleteExpired.run(toMs(before), sqlLimit(limit)).changes;
    },
  };
}
