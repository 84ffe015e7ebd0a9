import type { Statement } from 'better-sqlite3';
import { decodeCursor, decodeTimeIdCursor, encodeCursor, encodeTimeIdCursor, InvalidCursorError, pageLimit, toPage } from '../cursor.js';
import type { AuditRepository } from '../ports.js';
import type { AuditRecord, NewAudit } from '../records.js';
import { type Db, sqlLimit, toMs } from './sqlite-helpers.js';
import { foldName } from './name-folding.js';
import type { TurnBatch } from './turn-batch.js';
import { armsOf, type Conditions, MAX_ARMS, type Params, sharedConditions, singleStatementConditions, timeOrdered, whereOf } from './sqlite-audit-query.js';

interface AuditRow {
  id: number;
  at: number;
  actor: string | null;
  action: string;
  device_id: string | null;
  result: string;
  detail: string | null;
}

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
/** A time window's pages go by (at, id): see timeOrdered. */
const timeCursorOf = (entry: AuditRecord) => encodeTimeIdCursor(entry.at, entry.id);

function idOf(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id < 1) throw new InvalidCursorError();
  return id;
}

/** Newest id first, each entry once (it may match several arms): the page of the merged arms. */
function mergeArms(arms: AuditRow[][], limit: number): AuditRow[] {
  const byId = new Map<number, AuditRow>();
  for (const rows of arms) for (const row of rows) byId.set(row.id, row);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, limit);
}

/** The store's audit trail; its appends join the turn's batch of writes (turn-batch.ts). */
export function createSqliteAudit(db: Db, writes: TurnBatch): AuditRepository {
  // No RETURNING: the stored row is the one given (its columns keep text and integers as they are)
  // with its new id, and SQLite gathers RETURNING's rows in a temporary b-tree per statement; on
  // the api's busiest write that is work for nothing (bench/README.md, "Command round trip").
  const insert = db.prepare<[Omit<AuditRow, 'id'>]>(
    `INSERT INTO audit (at, actor, action, device_id, result, detail)
     VALUES (@at, @actor, @action, @device_id, @result, @detail)`,
  );
  const mentioning = db.prepare<[Params], AuditRow>(
    'SELECT * FROM audit WHERE id > @after AND (actor = @username OR instr(detail, @username) > 0) ORDER BY id LIMIT @limit',
  );
  const rewrite = db.prepare<[Params]>('UPDATE audit SET actor = @actor, detail = @detail WHERE id = @id');
  // Appends wait for the turn's end; whatever reads or changes the trail commits the batch first,
  // so it sees every entry whose append was made before it.
  const append = (row: Omit<AuditRow, 'id'>) => writes.run((): AuditRow => ({ id: Number(insert.run(row).lastInsertRowid), ...row }));
  const deleteBefore = db.prepare<[number, number]>(
    'DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < ? ORDER BY at LIMIT ?)',
  );
  const lockIdsNamed = db.prepare<[string], { device_id: string }>('SELECT device_id FROM locks WHERE name_folded = ?');
  // One statement per filter shape, each prepared on first use.
  const statements = new Map<string, Statement<[Params], AuditRow>>();
  function rowsOf(sql: string, params: Params): AuditRow[] {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare<[Params], AuditRow>(sql);
      statements.set(sql, statement);
    }
    return statement.all(params);
  }
  const newestIdsFirst = (where: Conditions, limit: number) =>
    rowsOf(`SELECT * FROM audit ${whereOf(where.clauses)} ORDER BY id DESC LIMIT @limit`, { ...where.params, limit });
  const both = (a: Conditions, b: Conditions): Conditions => ({ clauses: [...a.clauses, ...b.clauses], params: { ...a.params, ...b.params } });

  return {
    async append(entry: NewAudit) {
      const row = await append({
        at: toMs(entry.at ?? new Date()),
        actor: entry.actor,
        action: entry.action,
        device_id: entry.deviceId,
        result: entry.result,
        detail: entry.detail,
      });
      return toAudit(row);
    },
    async query(filter, page) {
      writes.flush();
      const limit = pageLimit(page.first);
      const shared = sharedConditions(filter);
      if (timeOrdered(filter)) {
        if (page.after !== undefined) {
          const after = decodeTimeIdCursor(page.after);
          shared.clauses.push('(at < @afterAt OR (at = @afterAt AND id < @afterId))');
          Object.assign(shared.params, { afterAt: toMs(after.at), afterId: idOf(after.id) });
        }
        const rows = rowsOf(`SELECT * FROM audit ${whereOf(shared.clauses)} ORDER BY at DESC, id DESC LIMIT @limit`, { ...shared.params, limit });
        return toPage(rows.map(toAudit), page.first, timeCursorOf);
      }
      if (page.after !== undefined) {
        shared.clauses.push('id < @after');
        shared.params.after = idOf(decodeCursor(page.after));
      }
      const named = filter.device === undefined ? [] : lockIdsNamed.all(foldName(filter.device)).map((lock) => lock.device_id);
      const arms = armsOf(filter, named);
      const rows =
        arms.length > MAX_ARMS
          ? newestIdsFirst(both(shared, singleStatementConditions(filter, named)), limit)
          : mergeArms(arms.map((arm) => newestIdsFirst(both(shared, arm), limit)), limit);
      return toPage(rows.map(toAudit), page.first, cursorOf);
    },
    async deleteBefore(before, limit) {
      writes.flush();
      return deleteBefore.run(toMs(before), sqlLimit(limit)).changes;
    },
    async listMentioning(username, afterId, limit) {
      writes.flush();
      return mentioning.all({ username, after: afterId === null ? 0 : Number(afterId), limit: sqlLimit(limit) }).map(toAudit);
    },
    async rewrite(id, actor, detail) {
      writes.flush();
      rewrite.run({ id: Number(id), actor, detail });
    },
  };
}
