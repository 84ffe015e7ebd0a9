/** SQLite adapter of Bluetooth offline keys, revocation lists and reported uses. */
import type { OfflineKeyRepository } from '../offline-key-port.js';
import type { BleRevocationListRecord, OfflineKeyActions, OfflineKeyRecord, OfflineKeyScope } from '../offline-key-records.js';
import { type Db, fromMsOrNull, inserted, writeReturning } from './sqlite-helpers.js';

interface KeyRow {
  kid: string;
  device_id: string;
  user_id: string;
  act: OfflineKeyActions;
  nb: number;
  na: number;
  revoked_at: number | null;
  created_at: number;
}

interface ListRow {
  device_id: string;
  list_id: string;
  before: number;
  kids: string;
  sent_at: number;
  acked_at: number | null;
}

function toKey(row: KeyRow): OfflineKeyRecord {
  return { kid: row.kid, deviceId: row.device_id, userId: row.user_id, act: row.act, nb: row.nb, na: row.na, revokedAt: fromMsOrNull(row.revoked_at), createdAt: new Date(row.created_at) };
}

function toList(row: ListRow): BleRevocationListRecord {
  return { deviceId: row.device_id, listId: row.list_id, before: row.before, kids: row.kids, sentAt: new Date(row.sent_at), ackedAt: fromMsOrNull(row.acked_at) };
}

export function createSqliteOfflineKeys(db: Db): OfflineKeyRepository {
  const insert = db.prepare<[string, string, string, string, number, number, number], KeyRow>(
    'INSERT INTO offline_keys (kid, device_id, user_id, act, nb, na, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *',
  );
  const byKid = db.prepare<[string], KeyRow>('SELECT * FROM offline_keys WHERE kid = ?');
  const live = db.prepare<[string, string, number], KeyRow>(
    'SELECT * FROM offline_keys WHERE device_id = ? AND user_id = ? AND revoked_at IS NULL AND na > ? ORDER BY nb DESC, kid DESC LIMIT 1',
  );
  const revokeLock = db.prepare<[number, string], KeyRow>('UPDATE offline_keys SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL RETURNING *');
  const revokeLockUser = db.prepare<[number, string, string], KeyRow>('UPDATE offline_keys SET revoked_at = ? WHERE device_id = ? AND user_id = ? AND revoked_at IS NULL RETURNING *');
  const revokeKid = db.prepare<[number, string, string], KeyRow>('UPDATE offline_keys SET revoked_at = ? WHERE device_id = ? AND kid = ? AND revoked_at IS NULL RETURNING *');
  const revokeKidUser = db.prepare<[number, string, string, string], KeyRow>(
    'UPDATE offline_keys SET revoked_at = ? WHERE device_id = ? AND kid = ? AND user_id = ? AND revoked_at IS NULL RETURNING *',
  );
  const revokeUser = db.prepare<[number, string], KeyRow>('UPDATE offline_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL RETURNING *');
  const revoked = db.prepare<[string, number], KeyRow>('SELECT * FROM offline_keys WHERE device_id = ? AND revoked_at IS NOT NULL AND na > ? ORDER BY nb DESC, kid DESC');
  const removeKeys = db.prepare<[string]>('DELETE FROM offline_keys WHERE device_id = ?');
  const removeList = db.prepare<[string]>('DELETE FROM ble_revocation_lists WHERE device_id = ?');
  const removeUses = db.prepare<[string]>('DELETE FROM offline_key_uses WHERE device_id = ?');
  const use = db.prepare<[string, string, string, number]>('INSERT OR IGNORE INTO offline_key_uses (device_id, kid, op, at) VALUES (?, ?, ?, ?)');
  const list = db.prepare<[string], ListRow>('SELECT * FROM ble_revocation_lists WHERE device_id = ?');
  const putList = db.prepare<[string, string, number, string, number]>(
    `INSERT INTO ble_revocation_lists (device_id, list_id, before, kids, sent_at, acked_at) VALUES (?, ?, ?, ?, ?, NULL)
     ON CONFLICT (device_id) DO UPDATE SET list_id = excluded.list_id, before = excluded.before, kids = excluded.kids, sent_at = excluded.sent_at, acked_at = NULL`,
  );
  const ack = db.prepare<[number, string, string]>('UPDATE ble_revocation_lists SET acked_at = ? WHERE device_id = ? AND list_id = ? AND acked_at IS NULL');
  const remove = db.transaction((deviceId: string) => {
    removeKeys.run(deviceId);
    removeList.run(deviceId);
    removeUses.run(deviceId);
  });

  function revokeRows(scope: OfflineKeyScope, at: number): KeyRow[] {
    if (!('deviceId' in scope)) return revokeUser.all(at, scope.userId);
    if (scope.kid !== undefined) {
      return scope.userId === undefined ? revokeKid.all(at, scope.deviceId, scope.kid) : revokeKidUser.all(at, scope.deviceId, scope.kid, scope.userId);
    }
    return scope.userId === undefined ? revokeLock.all(at, scope.deviceId) : revokeLockUser.all(at, scope.deviceId, scope.userId);
  }

  return {
    async create(key) {
      return toKey(inserted(writeReturning(insert, key.kid, key.deviceId, key.userId, key.act, key.nb, key.na, key.createdAt.getTime())));
    },
    async find(kid) {
      const row = byKid.get(kid);
      return row ? toKey(row) : null;
    },
    async latestLive(deviceId, userId, nowS) {
      const row = live.get(deviceId, userId, nowS);
      return row ? toKey(row) : null;
    },
    async revoke(scope, at) {
      return revokeRows(scope, at.getTime()).map(toKey);
    },
    async revokedUnexpired(deviceId, nowS) {
      return revoked.all(deviceId, nowS).map(toKey);
    },
    async removeByDevice(deviceId) {
      remove(deviceId);
    },
    async recordUse(deviceId, kid, op, at) {
      return use.run(deviceId, kid, op, at).changes === 1;
    },
    async findList(deviceId) {
      const row = list.get(deviceId);
      return row ? toList(row) : null;
    },
    async putList(l) {
      putList.run(l.deviceId, l.listId, l.before, l.kids, l.sentAt.getTime());
    },
    async ackList(deviceId, listId, at) {
      return ack.run(at.getTime(), deviceId, listId).changes === 1;
    },
  };
}
