/** SQLite adapter of the diagnostics history: rows cascade away with their lock. */
import type { DiagnosticsRepository } from '../ports.js';
import type { DiagnosticsPoint } from '../records.js';
import { type Db, sqlLimit, toMs } from './sqlite-helpers.js';

interface DiagnosticsRow {
  device_id: string;
  at: number;
  online: number;
  battery: number | null;
  rssi: number | null;
  uptime: number | null;
  boot: number | null;
}

function toPoint(row: DiagnosticsRow): DiagnosticsPoint {
  return { deviceId: row.device_id, at: new Date(row.at), online: row.online === 1, battery: row.battery, rssi: row.rssi, uptime: row.uptime, boot: row.boot };
}

export function createSqliteDiagnostics(db: Db): DiagnosticsRepository {
  // INSERT … SELECT from locks: a point of a lock removed meanwhile is skipped, not a foreign-key error.
  const insert = db.prepare<[DiagnosticsRow]>(
    `INSERT INTO lock_diagnostics (device_id, at, online, battery, rssi, uptime, boot)
       SELECT device_id, @at, @online, @battery, @rssi, @uptime, @boot FROM locks WHERE device_id = @device_id`,
  );
  const appendAll = db.transaction((rows: DiagnosticsRow[]) => {
    for (const row of rows) insert.run(row);
  });
  // The newest `limit` since `since`, then oldest first.
  const list = db.prepare<[string, number, number], DiagnosticsRow>(
    `SELECT * FROM (SELECT * FROM lock_diagnostics WHERE device_id = ? AND at >= ? ORDER BY at DESC, id DESC LIMIT ?) ORDER BY at, id`,
  );
  const deleteBefore = db.prepare<[number, number]>('DELETE FROM lock_diagnostics WHERE id IN (SELECT id FROM lock_diagnostics WHERE at < ? ORDER BY at LIMIT ?)');
  return {
    async append(points) {
      const rows = points.map((p) => ({ device_id: p.deviceId, at: toMs(p.at), online: p.online ? 1 : 0, battery: p.battery, rssi: p.rssi, uptime: p.uptime, boot: p.boot }));
      if (rows.length > 0) appendAll(rows);
    },
    async list(deviceId, since, limit) {
      return list.all(deviceId, toMs(since), sqlLimit(limit)).map(toPoint);
    },
    async deleteBefore(before, limit) {
      return deleteBefore.run(toMs(before), sqlLimit(limit)).changes;
    },
  };
}
