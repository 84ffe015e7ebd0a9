/** SQLite adapter of the wanted lock settings: one row per lock, every change a single conditional statement. */
import type { LockSettingsRepository } from '../ports.js';
import type { BootAction, LockOpenPolicy, LockSettingsRecord } from '../records.js';
import { type Db, fromMsOrNull, writeReturning } from './sqlite-helpers.js';

interface LockSettingsRow {
  device_id: string;
  relock: number;
  boot: BootAction;
  lock_open: LockOpenPolicy;
  revision: number;
  cfg_id: string | null;
  applied: number;
  rejected_reason: string | null;
  updated_by: string;
  updated_at: number;
  applied_at: number | null;
}

function toSettings(row: LockSettingsRow): LockSettingsRecord {
  return {
    deviceId: row.device_id,
    relock: row.relock,
    boot: row.boot,
    lockOpen: row.lock_open,
    revision: row.revision,
    cfgId: row.cfg_id,
    applied: row.applied === 1,
    rejectedReason: row.rejected_reason,
    updatedBy: row.updated_by,
    updatedAt: new Date(row.updated_at),
    appliedAt: fromMsOrNull(row.applied_at),
  };
}

type SaveParams = { device_id: string; relock: number; boot: string; lock_open: string; by: string; now: number };
type AnswerParams = { device_id: string; cfg_id: string; applied: number; reason: string | null; now: number };

export function createSqliteLockSettings(db: Db): LockSettingsRepository {
  const find = db.prepare<[string], LockSettingsRow>('SELECT * FROM lock_settings WHERE device_id = ?');
  const findMany = db.prepare<[string], LockSettingsRow>('SELECT * FROM lock_settings WHERE device_id IN (SELECT value FROM json_each(?))');
  // INSERT … SELECT from locks: no row for a lock that does not exist (rather than a foreign-key error).
  const save = db.prepare<[SaveParams], LockSettingsRow>(
    `INSERT INTO lock_settings (device_id, relock, boot, lock_open, revision, updated_by, updated_at)
       SELECT device_id, @relock, @boot, @lock_open, 1, @by, @now FROM locks WHERE device_id = @device_id
     ON CONFLICT (device_id) DO UPDATE SET relock = excluded.relock, boot = excluded.boot, lock_open = excluded.lock_open,
       revision = revision + 1, cfg_id = NULL, applied = 0, rejected_reason = NULL, applied_at = NULL,
       updated_by = excluded.updated_by, updated_at = excluded.updated_at
     RETURNING *`,
  );
  const markSent = db.prepare<[string, string, number]>(
    'UPDATE lock_settings SET cfg_id = ?, applied = 0, rejected_reason = NULL WHERE device_id = ? AND revision = ?',
  );
  const markAnswered = db.prepare<[AnswerParams], LockSettingsRow>(
    `UPDATE lock_settings SET applied = @applied, rejected_reason = @reason,
       applied_at = CASE WHEN @applied = 1 THEN @now ELSE NULL END
     WHERE device_id = @device_id AND cfg_id = @cfg_id AND applied = 0 AND rejected_reason IS NULL
     RETURNING *`,
  );
  return {
    async find(deviceId) {
      const row = find.get(deviceId);
      return row ? toSettings(row) : null;
    },
    async findMany(deviceIds) {
      return deviceIds.length === 0 ? [] : findMany.all(JSON.stringify(deviceIds)).map(toSettings);
    },
    async save(deviceId, values, by) {
      const row = writeReturning(save, { device_id: deviceId, relock: values.relock, boot: values.boot, lock_open: values.lockOpen, by, now: Date.now() });
      return row ? toSettings(row) : null;
    },
    async markSent(deviceId, revision, cfgId) {
      return markSent.run(cfgId, deviceId, revision).changes > 0;
    },
    async markAnswered(deviceId, cfgId, answer) {
      const params = { device_id: deviceId, cfg_id: cfgId, applied: answer.ok ? 1 : 0, reason: answer.ok ? null : answer.reason, now: Date.now() };
      const row = writeReturning(markAnswered, params);
      return row ? toSettings(row) : null;
    },
  };
}
