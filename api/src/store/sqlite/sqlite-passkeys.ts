/** SQLite adapter of passkeys and their pending WebAuthn challenges. */
import { randomUUID } from 'node:crypto';
import { DuplicateKeyError } from '../errors.js';
import type { PasskeyRepository } from '../ports.js';
import type { PasskeyRecord } from '../records.js';
import { type Db, fromMsOrNull, inserted, isUniqueViolation, toMs, writeReturning } from './sqlite-helpers.js';

interface PasskeyRow {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: string;
  counter: number;
  transports: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

function toPasskey(row: PasskeyRow): PasskeyRecord {
  const transports: unknown = JSON.parse(row.transports);
  return {
    id: row.id,
    userId: row.user_id,
    credentialId: row.credential_id,
    publicKey: row.public_key,
    counter: row.counter,
    transports: Array.isArray(transports) ? transports.filter((t): t is string => typeof t === 'string') : [],
    name: row.name,
    createdAt: new Date(row.created_at),
    lastUsedAt: fromMsOrNull(row.last_used_at),
  };
}

export function createSqlitePasskeys(db: Db): PasskeyRepository {
  const insert = db.prepare<[string, string, string, string, number, string, string, number], PasskeyRow>(
    `INSERT INTO passkeys (id, user_id, credential_id, public_key, counter, transports, name, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const listByUser = db.prepare<[string], PasskeyRow>('SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at, id');
  const findByCredentialId = db.prepare<[string], PasskeyRow>('SELECT * FROM passkeys WHERE credential_id = ?');
  const rename = db.prepare<[string, string, string], PasskeyRow>('UPDATE passkeys SET name = ? WHERE user_id = ? AND id = ? RETURNING *');
  const remove = db.prepare<[string, string], PasskeyRow>('DELETE FROM passkeys WHERE user_id = ? AND id = ? RETURNING *');
  const recordUse = db.prepare<[number, number, string, number]>('UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ? AND counter = ?');
  const useChallenge = db.prepare<[string, number]>('INSERT INTO webauthn_used_challenges (challenge, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const dropExpired = db.prepare<[number]>('DELETE FROM webauthn_used_challenges WHERE expires_at <= ?');

  return {
    async create(passkey) {
      try {
        const row = writeReturning(
          insert,
          randomUUID(),
          passkey.userId,
          passkey.credentialId,
          passkey.publicKey,
          passkey.counter,
          JSON.stringify(passkey.transports),
          passkey.name,
          toMs(passkey.createdAt ?? new Date()),
        );
        return toPasskey(inserted(row));
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateKeyError('credentialId');
        throw error;
      }
    },
    async listByUser(userId) {
      return listByUser.all(userId).map(toPasskey);
    },
    async findByCredentialId(credentialId) {
      const row = findByCredentialId.get(credentialId);
      return row ? toPasskey(row) : null;
    },
    async rename(userId, id, name) {
      const row = writeReturning(rename, name, userId, id);
      return row ? toPasskey(row) : null;
    },
    async remove(userId, id) {
      const row = writeReturning(remove, userId, id);
      return row ? toPasskey(row) : null;
    },
    async recordUse(id, expected, next, at) {
      return recordUse.run(next, toMs(at), id, expected).changes === 1;
    },
    async useChallenge(challenge, expiresAt, now) {
      dropExpired.run(toMs(now));
      return useChallenge.run(challenge, toMs(expiresAt)).changes === 1;
    },
  };
}
