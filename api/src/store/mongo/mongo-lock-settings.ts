/** MongoDB adapter of the wanted lock settings: one document per lock, `_id` its device id. */
import type { LockSettingsRepository } from '../ports.js';
import type { BootAction, LockOpenPolicy, LockSettingsRecord } from '../records.js';
import { AFTER } from './mongo-helpers.js';
import type { LockSettingsDoc, MongoModels } from './mongo-models.js';

function toSettings(doc: LockSettingsDoc): LockSettingsRecord {
  return {
    deviceId: doc._id,
    relock: doc.relock,
    // Only this adapter writes these fields, from the checked record types.
    boot: doc.boot as BootAction,
    lockOpen: doc.lock_open as LockOpenPolicy,
    revision: doc.revision,
    cfgId: doc.cfg_id ?? null,
    applied: doc.applied ?? false,
    rejectedReason: doc.rejected_reason ?? null,
    updatedBy: doc.updated_by,
    updatedAt: doc.updated_at,
    appliedAt: doc.applied_at ?? null,
  };
}

export function createMongoLockSettings({ locks, lockSettings }: MongoModels): LockSettingsRepository {
  return {
    async find(deviceId) {
      const doc = await lockSettings.findById(deviceId).lean<LockSettingsDoc>();
      return doc ? toSettings(doc) : null;
    },
    async findMany(deviceIds) {
      return (await lockSettings.find({ _id: { $in: [...deviceIds] } }).lean<LockSettingsDoc[]>()).map(toSettings);
    },
    async save(deviceId, values, by) {
      // A lock removed between these two steps leaves a document that its removal (or re-registration's) clears.
      if (!(await locks.exists({ device_id: deviceId }))) return null;
      const doc = await lockSettings
        .findOneAndUpdate(
          { _id: deviceId },
          {
            $set: {
              relock: values.relock,
              boot: values.boot,
              lock_open: values.lockOpen,
              cfg_id: null,
              applied: false,
              rejected_reason: null,
              applied_at: null,
              updated_by: by,
              updated_at: new Date(),
            },
            $inc: { revision: 1 },
          },
          { ...AFTER, upsert: true },
        )
        .lean<LockSettingsDoc>();
      return doc ? toSettings(doc) : null;
    },
    async markSent(deviceId, revision, cfgId) {
      const result = await lockSettings.updateOne({ _id: deviceId, revision }, { $set: { cfg_id: cfgId, applied: false, rejected_reason: null } });
      return result.matchedCount > 0;
    },
    async markAnswered(deviceId, cfgId, answer) {
      const doc = await lockSettings
        .findOneAndUpdate(
          { _id: deviceId, cfg_id: cfgId, applied: { $ne: true }, rejected_reason: null },
          { $set: { applied: answer.ok, rejected_reason: answer.ok ? null : answer.reason, applied_at: answer.ok ? new Date() : null } },
          AFTER,
        )
        .lean<LockSettingsDoc>();
      return doc ? toSettings(doc) : null;
    },
  };
}
