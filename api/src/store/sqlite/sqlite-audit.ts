import { decodeCursor, encodeCursor, InvalidCursorError, pageLimit, toPage } from '../cursor.js';
import type { AuditRepository } from '../ports.js';
import type { AuditFilter, AuditRecord, NewAudit } from '../records.js';
import { type Db, inserted, sqlLimit, toMs, writeReturning } from './sqlite-helpers.js';

interface AuditRow {
  id: number;
  at: number;
  actor: string | null;
  action: string;
  device_id: string | null;
  result: string;
  detail: string | null;
}
type Params = Record<string, string | number | null>;

function toAudit(row: AuditRow): AuditRecord {
  return {
    id: String(row.id),
    at: new Date(row.at),
    actor: row.actor,
    action: row.action,
    deviceId: row.device_id,
    result: row.result,
    detail: row.detail,
  };
}

const cursorOf = (entry: AuditRecord) => encodeCursor(entry.id);

/** The case folding of the device filter, as a SQL function (the same on both sides of `=`). */
const FOLD = 'smartlock_fold';
const fold = (text: string): string => text.toLowerCase();

function decodeId(cursor: string): number {
  const id = Number(decodeCursor(cursor));
  if (!Number.isSafeInteger(id) || id < 1) throw new InvalidCursorError();
  return id;
}

/** WHERE clause and parameters for a filter; only the filters present take part. */
function whereOf(filter: AuditFilter, after: number | null): { sql: string; params: Params } {
  const clauses: string[] = [];
  const params: Params = {};
  const add = (clause: string, name: string, value: string | number) => {
    clauses.push(clause);
    params[name] = value;
  };
  if (filter.deviceId !== undefined) add('device_id = @deviceId', 'deviceId', filter.deviceId);
  if (filter.device !== undefined) {
    // SQLite's own lower() and NOCASE fold ASCII only; names are any text ("Haustür"), device ids
    // are ASCII (DEVICE_ID_PATTERN), so NOCASE serves them and the audit_device_nocase index.
    add(
      // One IN rather than an OR: the OR made SQLite walk the whole audit table (test/query-plans.test.ts).
      `device_id COLLATE NOCASE IN (SELECT @device UNION ALL SELECT device_id FROM locks WHERE ${FOLD}(name) = @device)`,
      'device',
      fold(filter.device),
    );
  }
  if (filter.actor !== undefined) add('actor = @actor', 'actor', filter.actor);
  if (filter.action !== undefined) add('action = @action', 'action', filter.action);
  if (filter.from !== undefined) add('at >= @from', 'from', toMs(filter.from));
  if (filter.to !== undefined) add('at <= @to', 'to', toMs(filter.to));
  if (filter.scope !== undefined) {
    // json_each keeps the SQL text the same whatever the number of devices, so it is prepared once.
    // `[deviceId, sinceMs]` pairs; the IN keeps the audit_device index in use (a correlated EXISTS
    // alone made SQLite scan the table), the scalar subquery then applies that device's `since`.
    add(
      `((device_id IN (SELECT json_extract(value, '$[0]') FROM json_each(@scopeDevices))
         AND at >= (SELECT json_extract(value, '$[1]') FROM json_each(@scopeDevices) WHERE json_extract(value, '$[0]') = audit.device_id))
        OR actor = @scopeActor)`,
      'scopeDevices',
      JSON.stringify(filter.scope.devices.map((device) => [device.deviceId, toMs(device.since)])),
    );
    params.scopeActor = filter.scope.actor;
  }
  if (after !== null) add('id < @after', 'after', after);
  return { sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}

export function createSqliteAudit(db: Db): AuditRepository {
  db.function(FOLD, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? fold(text) : null));
  const insert = db.prepare<[Params], AuditRow>(
    `INSERT INTO audit (at, actor, action, device_id, result, detail)
     VALUES (@at, @actor, @action, @device_id, @result, @detail) RETURNING *`,
  );
  const mentioning = db.prepare<[Params], AuditRow>(
    'SELECT * FROM audit WHERE id > @after AND (actor = @username OR instr(detail, @username) > 0) ORDER BY id LIMIT @limit',
  );
  const rewrite = db.prepare<[Params]>('UPDATE audit SET actor = @actor, detail = @detail WHERE id = @id');
  const deleteBefore = db.prepare<[number, number]>(
    'DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < ? ORDER BY at LIMIT ?)',
  );
  // One statement per filter shape (at most 2^8), each prepared on first use.
  const queries = new Map<string, ReturnType<typeof prepareQuery>>();
  function prepareQuery(where: string) {
    return db.prepare<[Params], AuditRow>(`SELECT * FROM audit ${where} ORDER BY id DESC LIMIT @limit`);
  }

  return {
    async append(entry: NewAudit) {
      const row = writeReturning(insert, {
        at: toMs(entry.at ?? new Date()),
        actor: entry.actor,
        action: entry.action,
        device_id: entry.deviceId,
        result: entry.result,
        detail: entry.detail,
      });
      return toAudit(inserted(row));
    },
    async query(filter, page) {
      const after = page.after === undefined ? null : decodeId(page.after);
      const { sql, params } = whereOf(filter, after);
      let statement = queries.get(sql);
      if (statement === undefined) {
        statement = prepareQuery(sql);
        queries.set(sql, statement);
      }
      const rows = statement.all({ ...params, limit: pageLimit(page.first) });
      return toPage(rows.map(toAudit), page.first, cursorOf);
    },
    async deleteBefore(before, limit) {
      return deleteBefore.run(toMs(before), sqlLimit(limit)).changes;
    },
    async listMentioning(username, afterId, limit) {
      return mentioning.all({ username, after: afterId === null ? 0 : Number(afterId), limit: sqlLimit(limit) }).map(toAudit);
    },
    async rewrite(id, actor, detail) {
      rewrite.run({ id: Number(id), actor, detail });
    },
  };
}
