import { decodeCursor, encodeCursor, pageLimit, toPage } from '../cursor.js';
import { DuplicateKeyError, MissingOwnerError } from '../errors.js';
import type { LockRepository } from '../ports.js';
import type { LockRecord, NewLock, StatusUpdate } from '../records.js';
import { type Db, inserted, isForeignKeyViolation, isUniqueViolation, sqlLimit, toMs, writeReturning } from './sqlite-helpers.js';
import { alertsToJson } from '../alerts-json.js';
import { EXTRA_MS_PER_SECOND, MAINS_HEARTBEAT_S } from '../heartbeat-deadline.js';
import { foldName } from './name-folding.js';
import { type LockRow, patchParams, patchSet, type SqlParams, toLock } from './sqlite-lock-rows.js';
import { statementPerShape } from './statement-per-shape.js';
import type { TurnBatch } from './turn-batch.js';

/**
 * A lock's offline deadline is `before` (the mains rule) plus two of its heartbeats beyond 9 s
 * (docs/protocol.md §13.4). The index on (state, last_seen) still bounds the scan by the mains
 * rule; the second condition only filters the battery locks inside their longer window.
 */
const PAST_OWN_DEADLINE = `last_seen < @before - ${EXTRA_MS_PER_SECOND} * (COALESCE(heartbeat_s, ${MAINS_HEARTBEAT_S}) - ${MAINS_HEARTBEAT_S})`;

/** The statement behind `findStale`, exported so a test can check its query plan. */
export const FIND_STALE_SQL = `SELECT * FROM locks WHERE state = 'AVAILABLE' AND last_seen < @before AND ${PAST_OWN_DEADLINE} ORDER BY last_seen LIMIT @limit`;

/** The statement behind `findAlertCandidates`; its first OR is the partial index's condition (migration 6). */
export const ALERT_CANDIDATES_SQL = `SELECT * FROM locks
  WHERE device_id > @after
    AND (door = 'OPEN' OR status = 'UNLOCKED' OR alerts <> '[]')
    AND ((door = 'OPEN' AND status = 'LOCKED')
      OR (door = 'OPEN' AND door_open_since + alert_door_ajar_minutes * 60000 <= @now)
      OR (status = 'UNLOCKED' AND unlocked_since + alert_unlocked_minutes * 60000 <= @now)
      OR alerts <> '[]')
  ORDER BY device_id LIMIT @limit`;

const lockCursor = (lock: LockRecord) => encodeCursor(lock.deviceId);

/** The lock's next command counter (also run inside sqlite-commands.ts's `open`). */
export const ALLOCATE_COUNTER_SQL = 'UPDATE locks SET command_counter = command_counter + 1 WHERE device_id = ? RETURNING command_counter';

export function createSqliteLocks(db: Db, writes: TurnBatch): LockRepository {
  const insert = db.prepare<[SqlParams], LockRow>(
    `INSERT INTO locks (device_id, name, name_folded, owner, secret_sealed, created_at, updated_at)
     VALUES (@device_id, @name, @name_folded, @owner, @secret_sealed, @now, @now) RETURNING *`,
  );
  const byDeviceId = db.prepare<[string], LockRow>('SELECT * FROM locks WHERE device_id = ?');
  // One JSON array parameter rather than one per id: no limit on how many.
  const byDeviceIds = db.prepare<[string], LockRow>('SELECT * FROM locks WHERE device_id IN (SELECT value FROM json_each(?))');
  const byOwner = db.prepare<[string], LockRow>('SELECT * FROM locks WHERE owner = ? ORDER BY device_id');
  const all = db.prepare<[], LockRow>('SELECT * FROM locks ORDER BY device_id');
  const page = db.prepare<[string, number], LockRow>('SELECT * FROM locks WHERE device_id > ? ORDER BY device_id LIMIT ?');
  const update = statementPerShape<LockRow>(db, (assignments) =>
    `UPDATE locks SET ${[...assignments, 'updated_at = @now'].join(', ')} WHERE device_id = @device_id RETURNING *`,
  );
  const remove = db.prepare<[string]>('DELETE FROM locks WHERE device_id = ?');
  const allocateCounter = db.prepare<[string], { command_counter: number }>(ALLOCATE_COUNTER_SQL);
  const raiseCounter = db.prepare<[number, string, number]>(
    'UPDATE locks SET command_counter = ? WHERE device_id = ? AND command_counter < ?',
  );
  // The (boot, seq) comparison sits in the WHERE clause, so a replay never writes.
  const statusSql = (assignments: string[]) =>
    `UPDATE locks SET ${[...assignments, 'last_boot = @boot', 'last_seq = @seq', 'last_ts = COALESCE(@ts, last_ts)', 'updated_at = @now'].join(', ')}
     WHERE device_id = @device_id
       AND (last_boot < @boot OR (last_boot = @boot AND last_seq < @seq))`;
  const applyStatus = statementPerShape<LockRow>(db, (assignments) => `${statusSql(assignments)} RETURNING *`);
  // A batch only needs to know which rows took their update: no row read back.
  const applyStatusQuietly = statementPerShape<never>(db, statusSql);
  const findStale = db.prepare<[SqlParams], LockRow>(FIND_STALE_SQL);
  const markUnavailableIfStale = db.prepare<[SqlParams], LockRow>(
    `UPDATE locks SET state = 'UNAVAILABLE', issue = @issue, updated_at = @now
     WHERE device_id = @device_id AND state = 'AVAILABLE' AND last_seen <= @before AND ${PAST_OWN_DEADLINE.replace('<', '<=')}
     RETURNING *`,
  );
  const markUnavailableUnlessSeenSince = db.prepare<[SqlParams], LockRow>(
    `UPDATE locks SET state = 'UNAVAILABLE', issue = @issue, updated_at = @now
     WHERE device_id = @device_id AND (last_seen IS NULL OR last_seen < @since)
       AND NOT (state = 'UNAVAILABLE' AND issue IS @issue)
     RETURNING *`,
  );

  const markAllUnavailable = db.prepare<[SqlParams], LockRow>(
    `UPDATE locks SET state = 'UNAVAILABLE', issue = @issue, updated_at = @now
     WHERE device_id IN (SELECT device_id FROM locks WHERE state = 'AVAILABLE' LIMIT @limit)
     RETURNING *`,
  );

  const replaceAlerts = db.prepare<[SqlParams], LockRow>(
    `UPDATE locks SET alerts = @next, updated_at = @now WHERE device_id = @device_id AND alerts = @expected RETURNING *`,
  );
  const alertCandidates = db.prepare<[SqlParams], LockRow>(ALERT_CANDIDATES_SQL);
  const replaceSealedSecret = db.prepare<[SqlParams]>(
    'UPDATE locks SET secret_sealed = @next, updated_at = @now WHERE device_id = @device_id AND secret_sealed = @expected',
  );

  const statusParams = (update: StatusUpdate): SqlParams => ({
    ...patchParams(update.patch),
    device_id: update.deviceId,
    boot: update.boot,
    seq: update.seq,
    ts: update.ts ?? null,
    now: Date.now(),
  });
  const applyOne = (update: StatusUpdate): LockRow | undefined => writeReturning(applyStatus(patchSet(update.patch)), statusParams(update));
  const applyMany = db.transaction((updates: StatusUpdate[]): string[] =>
    updates.filter((update) => applyStatusQuietly(patchSet(update.patch)).run(statusParams(update)).changes > 0).map((update) => update.deviceId),
  );

  return {
    async create(lock: NewLock) {
      try {
        const row = writeReturning(insert, {
          device_id: lock.deviceId,
          name: lock.name,
          name_folded: foldName(lock.name),
          owner: lock.owner,
          secret_sealed: lock.secretSealed,
          now: Date.now(),
        });
        return toLock(inserted(row));
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateKeyError('deviceId');
        if (isForeignKeyViolation(error)) throw new MissingOwnerError(lock.owner);
        throw error;
      }
    },
    async findByDeviceId(deviceId) {
      const row = byDeviceId.get(deviceId);
      return row ? toLock(row) : null;
    },
    async findByDeviceIds(deviceIds) {
      return deviceIds.length === 0 ? [] : byDeviceIds.all(JSON.stringify(deviceIds)).map(toLock);
    },
    async listByOwner(owner) {
      return byOwner.all(owner).map(toLock);
    },
    async listAll() {
      return all.all().map(toLock);
    },
    async listPage(request) {
      // '' sorts before every device id (3–64 characters).
      const after = request.after === undefined ? '' : decodeCursor(request.after);
      return toPage(page.all(after, pageLimit(request.first)).map(toLock), request.first, lockCursor);
    },
    async update(deviceId, patch) {
      try {
        const row = writeReturning(update(patchSet(patch)), { ...patchParams(patch), device_id: deviceId, now: Date.now() });
        return row ? toLock(row) : null;
      } catch (error) {
        if (isForeignKeyViolation(error) && patch.owner !== undefined) throw new MissingOwnerError(patch.owner);
        throw error;
      }
    },
    async remove(deviceId) {
      return remove.run(deviceId).changes > 0;
    },
    async allocateCounter(deviceId) {
      return writeReturning(allocateCounter, deviceId)?.command_counter ?? null;
    },
    async raiseCounter(deviceId, atLeast) {
      raiseCounter.run(atLeast, deviceId, atLeast);
    },
    async applyStatus(update) {
      // A visible change: several arrive per turn from a fleet, so they share the turn's commit.
      const row = await writes.run(() => applyOne(update));
      return row ? toLock(row) : null;
    },
    async applyStatuses(updates) {
      // IMMEDIATE takes the write lock up front (waiting up to busy_timeout) instead of upgrading mid-batch.
      return applyMany.immediate(updates);
    },
    async findStale(before, limit) {
      return findStale.all({ before: toMs(before), limit: sqlLimit(limit) }).map(toLock);
    },
    async markUnavailableIfStale(deviceId, before, issue) {
      const row = writeReturning(markUnavailableIfStale, { device_id: deviceId, before: toMs(before), issue, now: Date.now() });
      return row ? toLock(row) : null;
    },
    async markAllUnavailable(issue, limit) {
      return markAllUnavailable.all({ issue, limit: sqlLimit(limit), now: Date.now() }).map(toLock);
    },
    async markUnavailableUnlessSeenSince(deviceId, since, issue) {
      const row = writeReturning(markUnavailableUnlessSeenSince, { device_id: deviceId, since: toMs(since), issue, now: Date.now() });
      return row ? toLock(row) : null;
    },
    async replaceAlerts(deviceId, expected, next) {
      const row = writeReturning(replaceAlerts, { device_id: deviceId, expected: alertsToJson(expected), next: alertsToJson(next), now: Date.now() });
      return row ? toLock(row) : null;
    },
    async findAlertCandidates(now, afterDeviceId, limit) {
      return alertCandidates.all({ now: toMs(now), after: afterDeviceId, limit: sqlLimit(limit) }).map(toLock);
    },
    async replaceSealedSecret(deviceId, expected, next) {
      return replaceSealedSecret.run({ device_id: deviceId, expected, next, now: Date.now() }).changes === 1;
    },
  };
}
