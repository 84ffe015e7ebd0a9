/** SQLite adapter of lock claims: the foreign key releases a lock's factory id when the lock is removed. */
import { DuplicateKeyError } from '../errors.js';
import type { ClaimRepository } from '../ports.js';
import type { ClaimRecord } from '../records.js';
import { type Db, fromMsOrNull, inserted, isUniqueViolation, writeReturning } from './sqlite-helpers.js';

interface ClaimRow {
  factory_id: string;
  device_id: string;
  verifier: string;
  claimed_by: string;
  claimed_at: number;
  completed_at: number | null;
}

function toClaim(row: ClaimRow): ClaimRecord {
  return {
    factoryId: row.factory_id,
    deviceId: row.device_id,
    verifier: row.verifier,
    claimedBy: row.claimed_by,
    claimedAt: new Date(row.claimed_at),
    completedAt: fromMsOrNull(row.completed_at),
  };
}

export function createSqliteClaims(db: Db): ClaimRepository {
  const insert = db.prepare<[string, string, string, string, number], ClaimRow>(
    'INSERT INTO lock_claims (factory_id, device_id, verifier, claimed_by, claimed_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
  );
  const byFactory = db.prepare<[string], ClaimRow>('SELECT * FROM lock_claims WHERE factory_id = ?');
  const byDevice = db.prepare<[string], ClaimRow>('SELECT * FROM lock_claims WHERE device_id = ?');
  const complete = db.prepare<[number, string], ClaimRow>('UPDATE lock_claims SET completed_at = ? WHERE factory_id = ? AND completed_at IS NULL RETURNING *');
  return {
    async create(claim) {
      try {
        return toClaim(inserted(writeReturning(insert, claim.factoryId, claim.deviceId, claim.verifier, claim.claimedBy, Date.now())));
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateKeyError('factoryId');
        throw error;
      }
    },
    async findByFactoryId(factoryId) {
      const row = byFactory.get(factoryId);
      return row ? toClaim(row) : null;
    },
    async findByDeviceId(deviceId) {
      const row = byDevice.get(deviceId);
      return row ? toClaim(row) : null;
    },
    async markCompleted(factoryId, at) {
      const row = writeReturning(complete, at.getTime(), factoryId);
      return row ? toClaim(row) : null;
    },
  };
}
