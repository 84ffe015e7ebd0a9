/**
 * MongoDB adapter of the diagnostics history. Thin: no TTL index, because the retention period is a
 * setting (DIAGNOSTICS_RETENTION_DAYS) and a TTL index fixes it at creation; the retention job deletes.
 */
import type { DiagnosticsRepository } from '../ports.js';
import type { DiagnosticsPoint } from '../records.js';
import { deleteBatch } from './mongo-helpers.js';
import type { LockDiagnosticsDoc, MongoModels } from './mongo-models.js';

function toPoint(doc: LockDiagnosticsDoc): DiagnosticsPoint {
  return { deviceId: doc.device_id, at: doc.at, online: doc.online, battery: doc.battery ?? null, rssi: doc.rssi ?? null, uptime: doc.uptime ?? null, boot: doc.boot ?? null };
}

export function createMongoDiagnostics({ locks, diagnostics }: MongoModels): DiagnosticsRepository {
  return {
    async append(points) {
      const ids = [...new Set(points.map((p) => p.deviceId))];
      if (ids.length === 0) return;
      // Points of locks removed meanwhile are skipped, as SQLite's foreign key does.
      const known = new Set((await locks.find({ device_id: { $in: ids } }, { device_id: 1 }).lean<{ device_id: string }[]>()).map((l) => l.device_id));
      const docs = points.filter((p) => known.has(p.deviceId)).map((p) => ({ device_id: p.deviceId, at: p.at, online: p.online, battery: p.battery, rssi: p.rssi, uptime: p.uptime, boot: p.boot }));
      if (docs.length > 0) await diagnostics.insertMany(docs, { ordered: false });
    },
    async list(deviceId, since, limit) {
      if (limit <= 0) return [];
      const docs = await diagnostics.find({ device_id: deviceId, at: { $gte: since } }).sort({ at: -1, _id: -1 }).limit(Math.floor(limit)).lean<LockDiagnosticsDoc[]>();
      return docs.reverse().map(toPoint);
    },
    async deleteBefore(before, limit) {
      return deleteBatch(diagnostics, { at: { $lt: before } }, limit, { at: 1 });
    },
  };
}
