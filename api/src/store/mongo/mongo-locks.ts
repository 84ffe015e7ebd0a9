import { Types } from 'mongoose';
import { decodeCursor, encodeCursor, pageLimit, toPage } from '../cursor.js';
import { DuplicateKeyError, MissingOwnerError } from '../errors.js';
import type { LockRepository } from '../ports.js';
import type { NewLock, StatusUpdate } from '../records.js';
import { alertsToJson } from '../alerts-json.js';
import { AFTER, isDuplicateKey, mapBounded } from './mongo-helpers.js';
import { AVAILABLE_DOC, newLockDoc, toDocPatch, toLock, STATUS_LOCKED_DOC, UNAVAILABLE_DOC, UNLOCKED_DOC } from './mongo-lock-docs.js';
import type { LockDoc, MongoModels } from './mongo-models.js';
import { NOT_A_DATE } from './seed-dates.js';
import { EXTRA_MS_PER_SECOND, MAINS_HEARTBEAT_S } from '../heartbeat-deadline.js';

/**
 * Matches a lock whose stored (boot, seq) is below the update's. A seed
 * document has no pair yet, which counts as (0, 0).
 */
function olderPairFilter({ deviceId, boot, seq }: StatusUpdate) {
  const older: object[] = [{ last_boot: { $lt: boot } }, { last_boot: boot, last_seq: { $lt: seq } }];
  if (boot > 0 || seq > 0) older.push({ last_boot: null });
  return { device_id: deviceId, $or: older };
}

/**
 * A lock's own offline deadline (docs/protocol.md §13.4): `before` (the mains rule) less two of its
 * announced heartbeats beyond 9 s. A lock without `heartbeat_s` keeps the mains rule.
 */
function pastOwnDeadline(op: '$lt' | '$lte', before: Date) {
  const extraMs = { $multiply: [EXTRA_MS_PER_SECOND, { $subtract: [{ $ifNull: ['$heartbeat_s', MAINS_HEARTBEAT_S] }, MAINS_HEARTBEAT_S] }] };
  return { [op]: ['$last_seen', { $subtract: [before, extraMs] }] };
}

/** Status writes of one batch sent together (the driver's pool holds 100 connections by default). */
const STATUS_WRITES_IN_FLIGHT = 16;

export function createMongoLocks({ locks, users, lockSettings, diagnostics, claims, lockTransfers, lockShares, shareInvitations }: MongoModels): LockRepository {
  /**
   * MongoDB has no foreign keys: the owner is looked up first, as SQLite's constraint would. An
   * account deleted between the look-up and the write is not caught (that needs a transaction);
   * the admin's lock list still shows such a lock, to be reassigned or removed.
   */
  async function requireOwner(owner: string): Promise<void> {
    if (!(await users.exists({ username: owner }))) throw new MissingOwnerError(owner);
  }

  async function applyStatus(update: StatusUpdate) {
    const doc = await locks
      .findOneAndUpdate(
        olderPairFilter(update),
        {
          $set: {
            ...toDocPatch(update.patch),
            last_boot: update.boot,
            last_seq: update.seq,
            ...(update.ts === undefined ? {} : { last_ts: update.ts }),
            updated_at: new Date(),
          },
        },
        AFTER,
      )
      .lean<LockDoc>();
    return doc ? toLock(doc) : null;
  }

  return {
    async create(lock: NewLock) {
      await requireOwner(lock.owner);
      const doc: LockDoc = { _id: new Types.ObjectId(), ...newLockDoc(lock, new Date()) };
      try {
        await locks.create(doc);
      } catch (error) {
        if (isDuplicateKey(error)) throw new DuplicateKeyError('deviceId');
        throw error;
      }
      return toLock(doc);
    },
    async findByDeviceId(deviceId) {
      const doc = await locks.findOne({ device_id: deviceId }).lean<LockDoc>();
      return doc ? toLock(doc) : null;
    },
    async findByDeviceIds(deviceIds) {
      return (await locks.find({ device_id: { $in: [...deviceIds] } }).lean<LockDoc[]>()).map(toLock);
    },
    async listByOwner(owner) {
      return (await locks.find({ owner }).sort({ device_id: 1 }).lean<LockDoc[]>()).map(toLock);
    },
    async listAll() {
      return (await locks.find().sort({ device_id: 1 }).lean<LockDoc[]>()).map(toLock);
    },
    async listPage(page) {
      const filter = page.after === undefined ? {} : { device_id: { $gt: decodeCursor(page.after) } };
      const docs = await locks.find(filter).sort({ device_id: 1 }).limit(pageLimit(page.first)).lean<LockDoc[]>();
      return toPage(docs.map(toLock), page.first, (lock) => encodeCursor(lock.deviceId));
    },
    async update(deviceId, patch) {
      if (patch.owner !== undefined) await requireOwner(patch.owner);
      const doc = await locks
        .findOneAndUpdate({ device_id: deviceId }, { $set: { ...toDocPatch(patch), updated_at: new Date() } }, AFTER)
        .lean<LockDoc>();
      return doc ? toLock(doc) : null;
    },
    async remove(deviceId) {
      const removed = (await locks.deleteOne({ device_id: deviceId })).deletedCount > 0;
      // No cascade in MongoDB: a lock registered again under this id must start from the defaults.
      await lockSettings.deleteOne({ _id: deviceId });
      await diagnostics.deleteMany({ device_id: deviceId });
      await locks.db.collection<{ _id: string }>('lock_firmware_updates').deleteOne({ _id: deviceId });
      // Removing a lock releases its factory id (SQLite: ON DELETE CASCADE).
      await claims.deleteMany({ device_id: deviceId });
      await lockTransfers.deleteMany({ device_id: deviceId });
      await lockShares.deleteMany({ device_id: deviceId });
      await shareInvitations.deleteMany({ device_id: deviceId });
      return removed;
    },
    async allocateCounter(deviceId) {
      // $inc is atomic on the server: concurrent callers each get their own value.
      const doc = await locks
        .findOneAndUpdate({ device_id: deviceId }, { $inc: { command_counter: 1 } }, AFTER)
        .lean<LockDoc>();
      return doc ? (doc.command_counter ?? 0) : null;
    },
    async raiseCounter(deviceId, atLeast) {
      // $max only ever raises, atomically.
      await locks.updateOne({ device_id: deviceId }, { $max: { command_counter: atLeast } });
    },
    applyStatus,
    async applyStatuses(updates) {
      // No multi-document transaction (a standalone server has none); each update is atomic on its
      // own, and a few run at once: one round trip per status in turn would bound ingest by latency.
      const results = await mapBounded(updates, STATUS_WRITES_IN_FLIGHT, applyStatus);
      return updates.filter((_, i) => results[i] !== null).map((update) => update.deviceId);
    },
    async findStale(before, limit) {
      // limit(0) means "no limit" to MongoDB.
      if (limit <= 0) return [];
      const docs = await locks
        // A last_seen the Flask system stored as a number or string counts as long ago (seed-dates.ts).
        .find({ state: AVAILABLE_DOC, $or: [{ last_seen: { $lt: before }, $expr: pastOwnDeadline('$lt', before) }, { last_seen: NOT_A_DATE }] })
        .sort({ last_seen: 1 })
        .limit(limit)
        .lean<LockDoc[]>();
      return docs.map(toLock);
    },
    async markUnavailableIfStale(deviceId, before, issue) {
      const doc = await locks
        .findOneAndUpdate(
          { device_id: deviceId, state: AVAILABLE_DOC, $or: [{ last_seen: { $lte: before }, $expr: pastOwnDeadline('$lte', before) }, { last_seen: NOT_A_DATE }] },
          { $set: { state: UNAVAILABLE_DOC, issue, updated_at: new Date() } },
          AFTER,
        )
        .lean<LockDoc>();
      return doc ? toLock(doc) : null;
    },
    async markAllUnavailable(issue, limit) {
      if (limit <= 0) return [];
      const due = await locks.find({ state: AVAILABLE_DOC }, { device_id: 1 }).limit(limit).lean<Pick<LockDoc, 'device_id'>[]>();
      if (due.length === 0) return [];
      const ids = due.map((doc) => doc.device_id);
      // Three round trips, not one atomic step: MongoDB's updateMany returns no documents.
      // The stamp picks out the ones this call changed (used while nothing else writes locks).
      const stamp = new Date();
      await locks.updateMany({ device_id: { $in: ids }, state: AVAILABLE_DOC }, { $set: { state: UNAVAILABLE_DOC, issue, updated_at: stamp } });
      const marked = await locks.find({ device_id: { $in: ids }, state: UNAVAILABLE_DOC, issue, updated_at: stamp }).lean<LockDoc[]>();
      return marked.map(toLock);
    },
    async markUnavailableUnlessSeenSince(deviceId, since, issue) {
      const doc = await locks
        .findOneAndUpdate(
          {
            device_id: deviceId,
            $and: [
              { $or: [{ last_seen: null }, { last_seen: { $lt: since } }] },
              { $or: [{ state: { $ne: UNAVAILABLE_DOC } }, { issue: { $ne: issue } }] },
            ],
          },
          { $set: { state: UNAVAILABLE_DOC, issue, updated_at: new Date() } },
          AFTER,
        )
        .lean<LockDoc>();
      return doc ? toLock(doc) : null;
    },
    async replaceSealedSecret(deviceId, expected, next) {
      const result = await locks.updateOne({ device_id: deviceId, secret_sealed: expected }, { $set: { secret_sealed: next, updated_at: new Date() } });
      return result.modifiedCount === 1;
    },
    async replaceAlerts(deviceId, expected, next) {
      const text = alertsToJson(expected);
      // A seed document has no `alerts`: that is an empty list.
      const current = expected.length === 0 ? { $in: [null, text] } : text;
      const doc = await locks
        .findOneAndUpdate({ device_id: deviceId, alerts: current }, { $set: { alerts: alertsToJson(next), updated_at: new Date() } }, AFTER)
        .lean<LockDoc>();
      return doc ? toLock(doc) : null;
    },
    async findAlertCandidates(now, afterDeviceId, limit) {
      if (limit <= 0) return [];
      const due = (since: string, minutes: string) => ({ $expr: { $lte: [{ $add: [since, { $multiply: [minutes, 60_000] }] }, now] } });
      const docs = await locks
        .find({
          device_id: { $gt: afterDeviceId },
          // By state, and due by the since-time when it has one: a document from before alerts has none
          // (its since-times come from updated_at in toLock), so it is read and judged there.
          $or: [
            { door: 'OPEN', status: STATUS_LOCKED_DOC },
            { door: 'OPEN', door_open_since: { $exists: false } },
            { door: 'OPEN', alert_door_ajar_minutes: { $exists: false } },
            { door: 'OPEN', alert_door_ajar_minutes: { $ne: null }, ...due('$door_open_since', '$alert_door_ajar_minutes') },
            { status: UNLOCKED_DOC, unlocked_since: { $exists: false } },
            { status: UNLOCKED_DOC, alert_unlocked_minutes: { $ne: null }, ...due('$unlocked_since', '$alert_unlocked_minutes') },
            { alerts: { $nin: [null, '[]'] } },
          ],
        })
        .sort({ device_id: 1 })
        .limit(limit)
        .lean<LockDoc[]>();
      return docs.map(toLock);
    },
  };
}
