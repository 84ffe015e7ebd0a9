import { randomUUID } from 'node:crypto';
import { DuplicateKeyError } from '../errors.js';
import type { UserRepository } from '../ports.js';
import type { NewUser, Role, UserRecord } from '../records.js';
import { type Db, inserted, isUniqueViolation, writeReturning } from './sqlite-helpers.js';

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  token_version: number;
  created_at: number;
}

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    role: row.role,
    tokenVersion: row.token_version,
    createdAt: new Date(row.created_at),
  };
}

export function createSqliteUsers(db: Db): UserRepository {
  const insert = db.prepare<[UserRow], UserRow>(
    `INSERT INTO users (id, username, password_hash, role, token_version, created_at)
     VALUES (@id, @username, @password_hash, @role, @token_version, @created_at) RETURNING *`,
  );
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const byUsername = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
  const all = db.prepare<[], UserRow>('SELECT * FROM users ORDER BY username');
  const setRole = db.prepare<[Role, string], UserRow>('UPDATE users SET role = ? WHERE username = ? RETURNING *');
  const setPasswordHash = db.prepare<[string, string], UserRow>(
    'UPDATE users SET password_hash = ? WHERE username = ? RETURNING *',
  );
  const bumpTokenVersion = db.prepare<[string], { token_version: number }>(
    'UPDATE users SET token_version = token_version + 1 WHERE id = ? RETURNING token_version',
  );
  const invalidateAll = db.prepare<[number]>('UPDATE users SET token_version = MAX(token_version + 1, ?)');

  return {
    async create(user: NewUser) {
      try {
        const row = writeReturning(insert, {
          id: randomUUID(),
          username: user.username,
          password_hash: user.passwordHash,
          role: user.role,
          token_version: 0,
          created_at: Date.now(),
        });
        return toUser(inserted(row));
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateKeyError('username');
        throw error;
      }
    },
    async findById(id) {
      const row = byId.get(id);
      return row ? toUser(row) : null;
    },
    async findByUsername(username) {
      const row = byUsername.get(username);
      return row ? toUser(row) : null;
    },
    async list() {
      return all.all().map(toUser);
    },
    async setRole(username, role) {
      const row = writeReturning(setRole, role, username);
      return row ? toUser(row) : null;
    },
    async setPasswordHash(username, passwordHash) {
      const row = writeReturning(setPasswordHash, passwordHash, username);
      return row ? toUser(row) : null;
    },
    async bumpTokenVersion(userId) {
      return writeReturning(bumpTokenVersion, userId)?.token_version ?? null;
    },
    async invalidateAllTokenVersions(atLeast) {
      return invalidateAll.run(atLeast).changes;
    },
  };
}
