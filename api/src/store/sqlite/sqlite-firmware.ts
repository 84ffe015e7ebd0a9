/** SQLite adapter of firmware releases, rollouts and per-lock updates: every change one conditional statement. */
import { randomUUID } from 'node:crypto';
import { DuplicateKeyError } from '../errors.js';
import type { FirmwareRepository } from '../firmware-port.js';
import type { FirmwareReleaseRecord, FirmwareRolloutRecord, LockFirmwareUpdateRecord, LockUpdateState, RolloutState } from '../firmware-records.js';
import { type Db, inserted, isUniqueViolation, writeReturning } from './sqlite-helpers.js';

interface ReleaseRow {
  id: string;
  hw: string;
  version: string;
  arc: number;
  size: number;
  sha256: string;
  manifest: string;
  msig: string;
  added_by: string | null;
  added_at: number;
}
interface RolloutRow {
  id: string;
  release_id: string;
  stages: string;
  stage_index: number;
  max_failure_percent: number;
  state: RolloutState;
  paused_reason: string | null;
  started_by: string;
  revision: number;
  created_at: number;
  updated_at: number;
}
interface UpdateRow {
  device_id: string;
  update_id: string;
  release_id: string;
  release_version: string;
  rollout_id: string | null;
  stage_index: number;
  state: LockUpdateState;
  reason: string | null;
  sent_at: number;
  updated_at: number;
}

const toRelease = (row: ReleaseRow): FirmwareReleaseRecord => ({
  id: row.id,
  hw: row.hw,
  version: row.version,
  arc: row.arc,
  size: row.size,
  sha256: row.sha256,
  manifest: row.manifest,
  msig: row.msig,
  addedBy: row.added_by,
  addedAt: new Date(row.added_at),
});
const toRollout = (row: RolloutRow): FirmwareRolloutRecord => ({
  id: row.id,
  releaseId: row.release_id,
  // Only this adapter writes the column, as a JSON array of numbers.
  stages: JSON.parse(row.stages) as number[],
  stageIndex: row.stage_index,
  maxFailurePercent: row.max_failure_percent,
  state: row.state,
  pausedReason: row.paused_reason,
  startedBy: row.started_by,
  revision: row.revision,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});
const toUpdate = (row: UpdateRow): LockFirmwareUpdateRecord => ({
  deviceId: row.device_id,
  updateId: row.update_id,
  releaseId: row.release_id,
  releaseVersion: row.release_version,
  rolloutId: row.rollout_id,
  stageIndex: row.stage_index,
  state: row.state,
  reason: row.reason,
  sentAt: new Date(row.sent_at),
  updatedAt: new Date(row.updated_at),
});

const FINAL = "('CONFIRMED', 'FAILED', 'ROLLED_BACK', 'TIMED_OUT')";

export function createSqliteFirmware(db: Db): FirmwareRepository {
  const addRelease = db.prepare<[ReleaseRow], ReleaseRow>(
    `INSERT INTO firmware_releases (id, hw, version, arc, size, sha256, manifest, msig, added_by, added_at)
     VALUES (@id, @hw, @version, @arc, @size, @sha256, @manifest, @msig, @added_by, @added_at) RETURNING *`,
  );
  const findRelease = db.prepare<[string], ReleaseRow>('SELECT * FROM firmware_releases WHERE id = ?');
  const findReleaseBySha = db.prepare<[string], ReleaseRow>('SELECT * FROM firmware_releases WHERE sha256 = ?');
  const listReleases = db.prepare<[], ReleaseRow>('SELECT * FROM firmware_releases ORDER BY added_at DESC, id DESC');
  const createRollout = db.prepare<[RolloutRow], RolloutRow>(
    `INSERT INTO firmware_rollouts (id, release_id, stages, stage_index, max_failure_percent, state, paused_reason, started_by, revision, created_at, updated_at)
     VALUES (@id, @release_id, @stages, @stage_index, @max_failure_percent, @state, @paused_reason, @started_by, @revision, @created_at, @updated_at) RETURNING *`,
  );
  const findRollout = db.prepare<[string], RolloutRow>('SELECT * FROM firmware_rollouts WHERE id = ?');
  const listRollouts = db.prepare<[], RolloutRow>('SELECT * FROM firmware_rollouts ORDER BY created_at DESC, id DESC');
  const updateRollout = db.prepare<[{ id: string; revision: number; stage_index: number | null; state: string | null; set_reason: number; paused_reason: string | null; now: number }], RolloutRow>(
    `UPDATE firmware_rollouts SET stage_index = COALESCE(@stage_index, stage_index), state = COALESCE(@state, state),
       paused_reason = CASE WHEN @set_reason = 1 THEN @paused_reason ELSE paused_reason END,
       revision = revision + 1, updated_at = @now
     WHERE id = @id AND revision = @revision RETURNING *`,
  );
  // INSERT … SELECT from locks: no row for a lock that does not exist; the upsert only replaces a final update.
  const startUpdate = db.prepare<[Omit<UpdateRow, 'reason'>], UpdateRow>(
    `INSERT INTO lock_firmware_updates (device_id, update_id, release_id, release_version, rollout_id, stage_index, state, reason, sent_at, updated_at)
       SELECT device_id, @update_id, @release_id, @release_version, @rollout_id, @stage_index, @state, NULL, @sent_at, @updated_at FROM locks WHERE device_id = @device_id
     ON CONFLICT (device_id) DO UPDATE SET update_id = excluded.update_id, release_id = excluded.release_id, release_version = excluded.release_version,
       rollout_id = excluded.rollout_id, stage_index = excluded.stage_index, state = excluded.state, reason = NULL,
       sent_at = excluded.sent_at, updated_at = excluded.updated_at
       WHERE lock_firmware_updates.state IN ${FINAL}
     RETURNING *`,
  );
  const progress = db.prepare<[{ device_id: string; update_id: string; state: string; reason: string | null; now: number }], UpdateRow>(
    `UPDATE lock_firmware_updates SET state = @state, reason = @reason, updated_at = @now
     WHERE device_id = @device_id AND update_id = @update_id AND state NOT IN ${FINAL} RETURNING *`,
  );
  const findUpdate = db.prepare<[string], UpdateRow>('SELECT * FROM lock_firmware_updates WHERE device_id = ?');
  const findUpdates = db.prepare<[string], UpdateRow>('SELECT * FROM lock_firmware_updates WHERE device_id IN (SELECT value FROM json_each(?))');
  const byRollout = db.prepare<[string], UpdateRow>('SELECT * FROM lock_firmware_updates WHERE rollout_id = ? ORDER BY device_id');

  return {
    async addRelease(release) {
      try {
        const row = writeReturning(addRelease, {
          id: randomUUID(),
          hw: release.hw,
          version: release.version,
          arc: release.arc,
          size: release.size,
          sha256: release.sha256,
          manifest: release.manifest,
          msig: release.msig,
          added_by: release.addedBy,
          added_at: Date.now(),
        });
        return toRelease(inserted(row));
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateKeyError('release');
        throw error;
      }
    },
    async findRelease(id) {
      const row = findRelease.get(id);
      return row ? toRelease(row) : null;
    },
    async findReleaseBySha256(sha256) {
      const row = findReleaseBySha.get(sha256);
      return row ? toRelease(row) : null;
    },
    async listReleases() {
      return listReleases.all().map(toRelease);
    },
    async createRollout(rollout) {
      const now = Date.now();
      const row = writeReturning(createRollout, {
        id: randomUUID(),
        release_id: rollout.releaseId,
        stages: JSON.stringify(rollout.stages),
        stage_index: 0,
        max_failure_percent: rollout.maxFailurePercent,
        state: 'RUNNING',
        paused_reason: null,
        started_by: rollout.startedBy,
        revision: 1,
        created_at: now,
        updated_at: now,
      });
      return toRollout(inserted(row));
    },
    async findRollout(id) {
      const row = findRollout.get(id);
      return row ? toRollout(row) : null;
    },
    async listRollouts() {
      return listRollouts.all().map(toRollout);
    },
    async updateRollout(id, revision, patch) {
      const row = writeReturning(updateRollout, {
        id,
        revision,
        stage_index: patch.stageIndex ?? null,
        state: patch.state ?? null,
        set_reason: patch.pausedReason === undefined ? 0 : 1,
        paused_reason: patch.pausedReason ?? null,
        now: Date.now(),
      });
      return row ? toRollout(row) : null;
    },
    async startLockUpdate(update, at) {
      const row = writeReturning(startUpdate, {
        device_id: update.deviceId,
        update_id: update.updateId,
        release_id: update.releaseId,
        release_version: update.releaseVersion,
        rollout_id: update.rolloutId,
        stage_index: update.stageIndex,
        state: 'SENT',
        sent_at: at.getTime(),
        updated_at: at.getTime(),
      });
      return row ? toUpdate(row) : null;
    },
    async progressLockUpdate(deviceId, updateId, state, reason, at) {
      const row = writeReturning(progress, { device_id: deviceId, update_id: updateId, state, reason, now: at.getTime() });
      return row ? toUpdate(row) : null;
    },
    async findLockUpdate(deviceId) {
      const row = findUpdate.get(deviceId);
      return row ? toUpdate(row) : null;
    },
    async findLockUpdates(deviceIds) {
      return deviceIds.length === 0 ? [] : findUpdates.all(JSON.stringify(deviceIds)).map(toUpdate);
    },
    async listLockUpdatesByRollout(rolloutId) {
      return byRollout.all(rolloutId).map(toUpdate);
    },
  };
}
