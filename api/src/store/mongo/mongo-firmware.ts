/**
 * MongoDB adapter of firmware releases, rollouts and per-lock updates, kept thin: plain
 * collections of the driver (no typegoose classes, no seed data to read), `_id` the record's
 * id (the device id for a lock's update), each change one conditional write.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { DuplicateKeyError } from '../errors.js';
import type { FirmwareRepository } from '../firmware-port.js';
import { FINAL_UPDATE_STATES, type FirmwareReleaseRecord, type FirmwareRolloutRecord, type LockFirmwareUpdateRecord } from '../firmware-records.js';
import { isDuplicateKey } from './mongo-helpers.js';

type ReleaseDoc = Omit<FirmwareReleaseRecord, 'id'> & { _id: string };
type RolloutDoc = Omit<FirmwareRolloutRecord, 'id'> & { _id: string };
type UpdateDoc = Omit<LockFirmwareUpdateRecord, 'deviceId'> & { _id: string };

const release = ({ _id, ...rest }: ReleaseDoc): FirmwareReleaseRecord => ({ id: _id, ...rest });
const rollout = ({ _id, ...rest }: RolloutDoc): FirmwareRolloutRecord => ({ id: _id, ...rest });
const update = ({ _id, ...rest }: UpdateDoc): LockFirmwareUpdateRecord => ({ deviceId: _id, ...rest });
const FINAL = [...FINAL_UPDATE_STATES];

export async function createMongoFirmware(connection: Connection): Promise<FirmwareRepository> {
  const releases = connection.collection<ReleaseDoc>('firmware_releases');
  const rollouts = connection.collection<RolloutDoc>('firmware_rollouts');
  const updates = connection.collection<UpdateDoc>('lock_firmware_updates');
  const locks = connection.collection<{ device_id: string }>('locks');
  await Promise.all([
    releases.createIndex({ sha256: 1 }, { unique: true }),
    releases.createIndex({ hw: 1, version: 1 }, { unique: true }),
    updates.createIndex({ rolloutId: 1 }),
  ]);
  return {
    async addRelease(fields) {
      const doc: ReleaseDoc = { _id: randomUUID(), ...fields, addedAt: new Date() };
      try {
        await releases.insertOne(doc);
      } catch (error) {
        if (isDuplicateKey(error)) throw new DuplicateKeyError('release');
        throw error;
      }
      return release(doc);
    },
    async findRelease(id) {
      const doc = await releases.findOne({ _id: id });
      return doc ? release(doc) : null;
    },
    async findReleaseBySha256(sha256) {
      const doc = await releases.findOne({ sha256 });
      return doc ? release(doc) : null;
    },
    async listReleases() {
      return (await releases.find().sort({ addedAt: -1, _id: -1 }).toArray()).map(release);
    },
    async createRollout(fields) {
      const now = new Date();
      const doc: RolloutDoc = { _id: randomUUID(), ...fields, stageIndex: 0, state: 'RUNNING', pausedReason: null, revision: 1, createdAt: now, updatedAt: now };
      await rollouts.insertOne(doc);
      return rollout(doc);
    },
    async findRollout(id) {
      const doc = await rollouts.findOne({ _id: id });
      return doc ? rollout(doc) : null;
    },
    async listRollouts() {
      return (await rollouts.find().sort({ createdAt: -1, _id: -1 }).toArray()).map(rollout);
    },
    async updateRollout(id, revision, patch) {
      const doc = await rollouts.findOneAndUpdate({ _id: id, revision }, { $set: { ...patch, updatedAt: new Date() }, $inc: { revision: 1 } }, { returnDocument: 'after' });
      return doc ? rollout(doc) : null;
    },
    async startLockUpdate(fields, at) {
      if (!(await locks.findOne({ device_id: fields.deviceId }, { projection: { _id: 1 } }))) return null;
      const { deviceId, ...rest } = fields;
      const set = { ...rest, state: 'SENT' as const, reason: null, sentAt: at, updatedAt: at };
      try {
        // Upsert only over a final update (or none): an update under way makes the filter miss and the upsert collide.
        const doc = await updates.findOneAndUpdate({ _id: deviceId, state: { $in: FINAL } }, { $set: set }, { upsert: true, returnDocument: 'after' });
        return doc ? update(doc) : null;
      } catch (error) {
        if (isDuplicateKey(error)) return null;
        throw error;
      }
    },
    async progressLockUpdate(deviceId, updateId, state, reason, at) {
      const doc = await updates.findOneAndUpdate(
        { _id: deviceId, updateId, state: { $nin: FINAL } },
        { $set: { state, reason, updatedAt: at } },
        { returnDocument: 'after' },
      );
      return doc ? update(doc) : null;
    },
    async findLockUpdate(deviceId) {
      const doc = await updates.findOne({ _id: deviceId });
      return doc ? update(doc) : null;
    },
    async findLockUpdates(deviceIds) {
      return (await updates.find({ _id: { $in: [...deviceIds] } }).toArray()).map(update);
    },
    async listLockUpdatesByRollout(rolloutId) {
      return (await updates.find({ rolloutId }).sort({ _id: 1 }).toArray()).map(update);
    },
  };
}
