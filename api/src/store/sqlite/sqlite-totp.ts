/** SQLite adapter of authenticator-app enrolments (one row per user). */
import type { TotpRepository } from '../ports.js';
import type { TotpRecord } from '../records.js';
import { type Db, fromMsOrNull, toMs } from './sqlite-helpers.js';

interface TotpRow {
  user_id: string;
  secret_sealed: string;
  confirmed_at: number | null;
  last_step: number;
  recovery_hashes: string;
}

function toTotp(row: TotpRow): TotpRecord {
  const hashes: unknown = JSON.parse(row.recovery_hashes);
  return {
    userId: row.user_id,
    secretSealed: row.secret_sealed,
    confirmedAt: fromMsOrNull(row.confirmed_at),
    lastStep: row.last_step,
    recoveryHashes: Array.isArray(hashes) ? hashes.filter((h): h is string => typeof h === 'string') : [],
  };
}

export function createSqliteTotp(db: Db): TotpRepository {
  const find = db.prepare<[string], TotpRow>('SELECT * FROM user_totp WHERE user_id = ?');
  // Replaces only an unconfirmed row: the WHERE of the upsert keeps a confirmed one.
  const saveUnconfirmed = db.prepare<[string, string]>(
    `INSERT INTO user_totp (user_id, secret_sealed) VALUES (?, ?)
     ON CONFLICT (user_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, last_step = 0, recovery_hashes = '[]'
     WHERE user_totp.confirmed_at IS NULL`,
  );
  const confirm = db.prepare<[number, number, string, string]>(
    'UPDATE user_totp SET confirmed_at = ?, last_step = ?, recovery_hashes = ? WHERE user_id = ? AND confirmed_at IS NULL',
  );
  const useStep = db.prepare<[number, string, number]>(
    'UPDATE user_totp SET last_step = ? WHERE user_id = ? AND confirmed_at IS NOT NULL AND last_step < ?',
  );
  const setHashes = db.prepare<[string, string, string]>('UPDATE user_totp SET recovery_hashes = ? WHERE user_id = ? AND recovery_hashes = ?');
  const remove = db.prepare<[string]>('DELETE FROM user_totp WHERE user_id = ?');
  const listSealed = db.prepare<[], { user_id: string; secret_sealed: string }>('SELECT user_id, secret_sealed FROM user_totp');
  const replaceSealed = db.prepare<[string, string, string]>('UPDATE user_totp SET secret_sealed = ? WHERE user_id = ? AND secret_sealed = ?');

  return {
    async find(userId) {
      const row = find.get(userId);
      return row ? toTotp(row) : null;
    },
    async saveUnconfirmed(userId, secretSealed) {
      return saveUnconfirmed.run(userId, secretSealed).changes === 1;
    },
    async confirm(userId, recoveryHashes, step, at) {
      return confirm.run(toMs(at), step, JSON.stringify(recoveryHashes), userId).changes === 1;
    },
    async useStep(userId, step) {
      return useStep.run(step, userId, step).changes === 1;
    },
    async useRecoveryCode(userId, hash) {
      const row = find.get(userId);
      if (!row || row.confirmed_at === null) return false;
      const hashes = toTotp(row).recoveryHashes;
      if (!hashes.includes(hash)) return false;
      // Compare-and-set on the whole list: of two concurrent uses of one code, one wins.
      return setHashes.run(JSON.stringify(hashes.filter((h) => h !== hash)), userId, row.recovery_hashes).changes === 1;
    },
    async remove(userId) {
      return remove.run(userId).changes === 1;
    },
    async listSealed() {
      return listSealed.all().map((row) => ({ userId: row.user_id, secretSealed: row.secret_sealed }));
    },
    async replaceSealed(userId, expected, next) {
      return replaceSealed.run(next, userId, expected).changes === 1;
    },
  };
}
