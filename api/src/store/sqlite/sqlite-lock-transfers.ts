/** SQLite adapter of lock transfer offers; acceptance moves the lock in the same transaction. */
import { DuplicateKeyError } from '../errors.js';
import type { LockTransferRepository } from '../lock-transfer-port.js';
import type { LockTransferRecord, LockTransferState } from '../lock-transfer-records.js';
import { type LockRow, toLock } from './sqlite-lock-rows.js';
import { type Db, fromMsOrNull, inserted, isUniqueViolation, writeReturning } from './sqlite-helpers.js';

interface TransferRow {
  id: string;
  device_id: string;
  from_user: string;
  to_user: string;
  state: LockTransferState;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
}

function toTransfer(row: TransferRow): LockTransferRecord {
  return {
    id: row.id,
    deviceId: row.device_id,
    fromUser: row.from_user,
    toUser: row.to_user,
    state: row.state,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    endedAt: fromMsOrNull(row.ended_at),
  };
}

export function createSqliteLockTransfers(db: Db): LockTransferRepository {
  // Clears the way for a new offer: expired ones, and those of a former owner (reassigned since).
  const voidStale = db.prepare<[number, number, number, string, number, string]>(
    `UPDATE lock_transfers SET state = CASE WHEN expires_at <= ? THEN 'EXPIRED' ELSE 'CANCELLED' END, ended_at = CASE WHEN expires_at <= ? THEN NULL ELSE ? END
     WHERE device_id = ? AND state = 'OPEN' AND (expires_at <= ? OR from_user <> ?)`,
  );
  const insert = db.prepare<[string, string, string, string, number, number], TransferRow>(
    `INSERT INTO lock_transfers (id, device_id, from_user, to_user, state, created_at, expires_at) VALUES (?, ?, ?, ?, 'OPEN', ?, ?) RETURNING *`,
  );
  const byId = db.prepare<[string], TransferRow>('SELECT * FROM lock_transfers WHERE id = ?');
  const open = db.prepare<[string, string, number], TransferRow>(
    `SELECT * FROM lock_transfers WHERE (from_user = ? OR to_user = ?) AND state = 'OPEN' AND expires_at > ? ORDER BY created_at DESC, id DESC`,
  );
  const end = db.prepare<[string, number, string, number], TransferRow>(
    `UPDATE lock_transfers SET state = ?, ended_at = ? WHERE id = ? AND state = 'OPEN' AND expires_at > ? RETURNING *`,
  );
  const moveLock = db.prepare<[string, number, string, string], LockRow>('UPDATE locks SET owner = ?, updated_at = ? WHERE device_id = ? AND owner = ? RETURNING *');
  const lastAccepted = db.prepare<[string], { device_id: string; at: number }>(
    `SELECT device_id, MAX(ended_at) AS at FROM lock_transfers WHERE state = 'ACCEPTED' AND device_id IN (SELECT value FROM json_each(?)) GROUP BY device_id`,
  );
  const forgetOpen = db.prepare<[string, string]>(`DELETE FROM lock_transfers WHERE state = 'OPEN' AND (from_user = ? OR to_user = ?)`);
  const renameFrom = db.prepare<[string, string]>('UPDATE lock_transfers SET from_user = ? WHERE from_user = ?');
  const renameTo = db.prepare<[string, string]>('UPDATE lock_transfers SET to_user = ? WHERE to_user = ?');

  const create = db.transaction((offer: Parameters<LockTransferRepository['create']>[0]) => {
    const now = offer.createdAt.getTime();
    voidStale.run(now, now, now, offer.deviceId, now, offer.fromUser);
    return inserted(writeReturning(insert, offer.id, offer.deviceId, offer.fromUser, offer.toUser, now, offer.expiresAt.getTime()));
  });
  const accept = db.transaction((id: string, at: number) => {
    const offer = writeReturning(end, 'ACCEPTED', at, id, at);
    if (!offer) return null;
    const lock = writeReturning(moveLock, offer.to_user, at, offer.device_id, offer.from_user);
    if (!lock) throw new OwnerChanged(); // rolls the offer back: the lock is no longer the offerer's
    return { offer: toTransfer(offer), lock: toLock(lock) };
  });
  const cancelVoid = db.prepare<[number, string]>(`UPDATE lock_transfers SET state = 'CANCELLED', ended_at = ? WHERE id = ? AND state = 'OPEN'`);
  const forget = db.transaction((username: string, pseudonym: string) => {
    forgetOpen.run(username, username);
    renameFrom.run(pseudonym, username);
    renameTo.run(pseudonym, username);
  });

  return {
    async create(offer) {
      try {
        return toTransfer(create.immediate(offer));
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateKeyError('deviceId');
        throw error;
      }
    },
    async findById(id) {
      const row = byId.get(id);
      return row ? toTransfer(row) : null;
    },
    async listOpen(username, now) {
      return open.all(username, username, now.getTime()).map(toTransfer);
    },
    async end(id, state, at) {
      const row = writeReturning(end, state, at.getTime(), id, at.getTime());
      return row ? toTransfer(row) : null;
    },
    async accept(id, at) {
      try {
        return accept.immediate(id, at.getTime());
      } catch (error) {
        if (!(error instanceof OwnerChanged)) throw error;
        // The lock changed hands another way (an admin's reassignment): this offer is void.
        cancelVoid.run(at.getTime(), id);
        return null;
      }
    },
    async lastAccepted(deviceIds) {
      if (deviceIds.length === 0) return new Map();
      return new Map(lastAccepted.all(JSON.stringify(deviceIds)).map((row) => [row.device_id, new Date(row.at)]));
    },
    async forgetUser(username, pseudonym) {
      forget.immediate(username, pseudonym);
    },
  };
}

class OwnerChanged extends Error {}
