import { Types } from 'mongoose';
import { decodeCursor, encodeCursor, InvalidCursorError, pageLimit, toPage } from '../cursor.js';
import type { AuditRepository } from '../ports.js';
import type { AuditFilter, AuditRecord, NewAudit } from '../records.js';
import { deleteBatch, objectIdOrNull } from './mongo-helpers.js';
import type { AuditDoc, MongoModels } from './mongo-models.js';
import { seedDate } from './seed-dates.js';

/** Seed log entries may lack fields; their ObjectId still dates them. */
function toAudit(doc: AuditDoc): AuditRecord {
  return {
    id: doc._id.toHexString(),
    at: seedDate(doc.at) ?? doc._id.getTimestamp(),
    actor: doc.actor ?? null,
    action: doc.action ?? '',
    deviceId: doc.device_id ?? null,
    result: doc.result ?? '',
    detail: doc.detail ?? null,
  };
}

const cursorOf = (entry: AuditRecord) => encodeCursor(entry.id);

/** Device ids are `[A-Za-z0-9_-]`, but the filter is whatever was typed: escape it. */
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i');

/**
 * Ids of the locks named `device` without regard to case (accents count). An anchored
 * case-insensitive pattern rather than a collation: no index serves either (names have none), and
 * a pattern also runs on servers without collations (the CongoDB test server).
 */
async function devicesNamed(locks: MongoModels['locks'], device: string): Promise<string[]> {
  const found = await locks.find({ name: exactly(device) }, { device_id: 1 }).lean<{ device_id: string }[]>();
  return found.map((lock) => lock.device_id);
}

/** Every condition the filter asks for; they all must hold. `named`: the ids of the locks `filter.device` names. */
function conditionsOf(filter: AuditFilter, after: Types.ObjectId | null, named: string[]): object[] {
  const conditions: object[] = [];
  if (filter.deviceId !== undefined) conditions.push({ device_id: filter.deviceId });
  if (filter.device !== undefined) conditions.push({ $or: [{ device_id: exactly(filter.device) }, { device_id: { $in: named } }] });
  if (filter.actor !== undefined) conditions.push({ actor: filter.actor });
  if (filter.action !== undefined) conditions.push({ action: filter.action });
  // Both bounds are inclusive.
  if (filter.from !== undefined) conditions.push({ at: { $gte: filter.from } });
  if (filter.to !== undefined) conditions.push({ at: { $lte: filter.to } });
  if (filter.scope !== undefined) {
    const devices = filter.scope.devices.map((device) => ({ device_id: device.deviceId, at: { $gte: device.since } }));
    conditions.push({ $or: [...devices, { actor: filter.scope.actor }] });
  }
  if (after !== null) conditions.push({ _id: { $lt: after } });
  return conditions;
}

export function createMongoAudit({ audit, locks }: MongoModels): AuditRepository {
  return {
    async append(entry: NewAudit) {
      const doc: AuditDoc = {
        _id: new Types.ObjectId(),
        at: entry.at ?? new Date(),
        actor: entry.actor,
        action: entry.action,
        device_id: entry.deviceId,
        result: entry.result,
        detail: entry.detail,
      };
      await audit.create(doc);
      return toAudit(doc);
    },
    async query(filter, page) {
      let after: Types.ObjectId | null = null;
      if (page.after !== undefined) {
        after = objectIdOrNull(decodeCursor(page.after));
        if (after === null) throw new InvalidCursorError();
      }
      const named = filter.device === undefined ? [] : await devicesNamed(locks, filter.device);
      const conditions = conditionsOf(filter, after, named);
      const docs = await audit
        .find(conditions.length === 0 ? {} : { $and: conditions })
        .sort({ _id: -1 })
        .limit(pageLimit(page.first))
        .lean<AuditDoc[]>();
      return toPage(docs.map(toAudit), page.first, cursorOf);
    },
    async deleteBefore(before, limit) {
      return deleteBatch(audit, { at: { $lt: before } }, limit, { at: 1 });
    },
    async listMentioning(username, afterId, limit) {
      const after = afterId === null ? null : objectIdOrNull(afterId);
      const mentions = { $or: [{ actor: username }, { detail: new RegExp(username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }] };
      const docs = await audit
        .find(after ? { $and: [mentions, { _id: { $gt: after } }] } : mentions)
        .sort({ _id: 1 })
        .limit(limit)
        .lean<AuditDoc[]>();
      return docs.map(toAudit);
    },
    async rewrite(id, actor, detail) {
      const _id = objectIdOrNull(id);
      if (_id) await audit.updateOne({ _id }, { $set: { actor, detail } });
    },
  };
}
