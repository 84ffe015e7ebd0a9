import { decodeTimeIdCursor, encodeTimeIdCursor, pageLimit, toPage } from '../cursor.js';
import { DuplicateKeyError } from '../errors.js';
import type { CommandRepository } from '../ports.js';
import type { CommandAction, CommandRecord, CommandState, IdempotencyClaim, NewCommand } from '../records.js';
import { type Db, fromMsOrNull, isUniqueViolation, sqlLimit, toMs, writeReturning } from './sqlite-helpers.js';
import { ALLOCATE_COUNTER_SQL } from './sqlite-locks.js';

interface CommandRow {
  id: string;
  device_id: string;
  action: CommandAction;
  state: CommandState;
  counter: number;
  requested_by: string;
  created_at: number;
  completed_at: number | null;
  reason: string | null;
  idempotency_key: string | null;
}

function toCommand(row: CommandRow): CommandRecord {
  return {
    id: row.id,
    deviceId: row.device_id,
    action: row.action,
    state: row.state,
    counter: row.counter,
    requestedBy: row.requested_by,
    createdAt: new Date(row.created_at),
    completedAt: fromMsOrNull(row.completed_at),
    reason: row.reason,
  };
}

const cursorOf = (command: CommandRecord) => encodeTimeIdCursor(command.createdAt, command.id);

function rowOf(command: NewCommand, claim: IdempotencyClaim | undefined): Omit<CommandRow, 'completed_at' | 'reason' | 'state'> {
  return {
    id: command.id,
    device_id: command.deviceId,
    action: command.action,
    counter: command.counter,
    requested_by: command.requestedBy,
    created_at: Date.now(),
    idempotency_key: claim?.key ?? null,
  };
}

/** Runs a write that inserts a command, a UNIQUE violation becoming DuplicateKeyError naming the field. */
function asDuplicateKey<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateKeyError(String((error as Error).message).includes('idempotency_key') ? 'idempotencyKey' : 'id');
    throw error;
  }
}

export function createSqliteCommands(db: Db): CommandRepository {
  // No RETURNING: the new row is the one given, SENT and not completed (RETURNING would gather it in
  // a temporary b-tree, on the command's path before the publish).
  const insert = db.prepare<[Omit<CommandRow, 'completed_at' | 'reason' | 'state'>]>(
    `INSERT INTO commands (id, device_id, action, state, counter, requested_by, created_at, idempotency_key)
     VALUES (@id, @device_id, @action, 'SENT', @counter, @requested_by, @created_at, @idempotency_key)`,
  );
  // A key whose window has passed is released, so the unique index only ever holds live keys.
  const releaseKey = db.prepare<[string, string, string, number]>(
    `UPDATE commands SET idempotency_key = NULL
     WHERE device_id = ? AND requested_by = ? AND idempotency_key = ? AND created_at < ?`,
  );
  const byKey = db.prepare<[string, string, string, number], CommandRow>(
    `SELECT * FROM commands WHERE device_id = ? AND requested_by = ? AND idempotency_key = ? AND created_at >= ?`,
  );
  // The plain steps, for `open`'s own transaction (a nested one would add a savepoint each), and
  // each as a transaction of its own for the ports that run it alone.
  const claimAndInsert = (row: Omit<CommandRow, 'completed_at' | 'reason' | 'state'>, since: number): CommandRow => {
    if (row.idempotency_key !== null) releaseKey.run(row.device_id, row.requested_by, row.idempotency_key, since);
    insert.run(row);
    return { ...row, state: 'SENT', completed_at: null, reason: null };
  };
  const createClaiming = db.transaction(claimAndInsert);
  const supersedeBelow = db.prepare<[string, number, string, number], CommandRow>(
    `UPDATE commands SET state = 'SUPERSEDED', reason = ?, completed_at = ?
     WHERE device_id = ? AND state = 'SENT' AND counter < ? RETURNING *`,
  );
  const nextNewer = db.prepare<[string, number], { id: string }>(
    'SELECT id FROM commands WHERE device_id = ? AND counter > ? ORDER BY counter LIMIT 1',
  );
  const supersedeOne = db.prepare<[string, number, string], CommandRow>(
    `UPDATE commands SET state = 'SUPERSEDED', reason = ?, completed_at = ? WHERE id = ? AND state = 'SENT' RETURNING *`,
  );
  const supersedeRows = (deviceId: string, id: string, counter: number, at: number): CommandRow[] => {
    const rows = supersedeBelow.all(`superseded by ${id}`, at, deviceId, counter);
    const newer = nextNewer.get(deviceId, counter);
    const self = newer ? writeReturning(supersedeOne, `superseded by ${newer.id}`, at, id) : undefined;
    return self ? [...rows, self] : rows;
  };
  const supersede = db.transaction(supersedeRows);
  const allocateCounter = db.prepare<[string], { command_counter: number }>(ALLOCATE_COUNTER_SQL);
  // Counter, row and superseding in one commit: each commit is a WAL write on the command's path.
  const open = db.transaction((command: Omit<NewCommand, 'counter'>, claim: IdempotencyClaim | undefined, at: number) => {
    const counter = writeReturning(allocateCounter, command.deviceId)?.command_counter;
    if (counter === undefined) return null;
    const row = claimAndInsert(rowOf({ ...command, counter }, claim), claim ? toMs(claim.since) : 0);
    return { command: row, superseded: supersedeRows(command.deviceId, command.id, counter, at) };
  });
  const byId = db.prepare<[string], CommandRow>('SELECT * FROM commands WHERE id = ?');
  const byIds = db.prepare<[string], CommandRow>('SELECT * FROM commands WHERE id IN (SELECT value FROM json_each(?))');
  const complete = db.prepare<[CommandState, string | null, number, string], CommandRow>(
    `UPDATE commands SET state = ?, reason = ?, completed_at = ? WHERE id = ? AND state = 'SENT' RETURNING *`,
  );
  // Newest first by (created_at, id): the id breaks ties between commands of the same millisecond.
  const firstPage = db.prepare<[string, number], CommandRow>(
    'SELECT * FROM commands WHERE device_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
  );
  const nextPage = db.prepare<[string, number, string, number], CommandRow>(
    `SELECT * FROM commands WHERE device_id = ? AND (created_at, id) < (?, ?)
     ORDER BY created_at DESC, id DESC LIMIT ?`,
  );
  const sentBefore = db.prepare<[number, number], CommandRow>(
    `SELECT * FROM commands WHERE state = 'SENT' AND created_at < ? ORDER BY created_at LIMIT ?`,
  );
  const sentByDevice = db.prepare<[string], CommandRow>(`SELECT * FROM commands WHERE device_id = ? AND state = 'SENT' ORDER BY counter`);
  const removeByDevice = db.prepare<[string]>('DELETE FROM commands WHERE device_id = ?');
  const pseudonymiseRequester = db.prepare<[string, string]>('UPDATE commands SET requested_by = ? WHERE requested_by = ?');
  // The final states listed (not `<> 'SENT'`) so the (state, created_at) index serves each one.
  const deleteFinishedBefore = db.prepare<[number, number]>(
    `DELETE FROM commands WHERE rowid IN (
       SELECT rowid FROM commands
       WHERE state IN ('SUCCEEDED', 'REJECTED', 'FAILED', 'TIMED_OUT', 'SUPERSEDED') AND created_at < ? LIMIT ?)`,
  );

  return {
    async create(command: NewCommand, claim?: IdempotencyClaim) {
      // IMMEDIATE: another process sharing the file cannot slip a write between release and insert.
      return toCommand(asDuplicateKey(() => createClaiming.immediate(rowOf(command, claim), claim ? toMs(claim.since) : 0)));
    },
    async open(command, claim, at) {
      const opened = asDuplicateKey(() => open.immediate(command, claim, toMs(at)));
      return opened && { command: toCommand(opened.command), superseded: opened.superseded.map(toCommand) };
    },
    async findByIdempotencyKey(deviceId, requestedBy, key, since) {
      const row = byKey.get(deviceId, requestedBy, key, toMs(since));
      return row ? toCommand(row) : null;
    },
    async supersedeOlder(deviceId, id, counter, at) {
      return supersede.immediate(deviceId, id, counter, toMs(at)).map(toCommand);
    },
    async findById(id) {
      const row = byId.get(id);
      return row ? toCommand(row) : null;
    },
    async findByIds(ids) {
      return ids.length === 0 ? [] : byIds.all(JSON.stringify(ids)).map(toCommand);
    },
    async complete(id, state, reason, at) {
      const row = writeReturning(complete, state, reason, toMs(at), id);
      return row ? toCommand(row) : null;
    },
    async listByDevice(deviceId, page) {
      const limit = pageLimit(page.first);
      let rows: CommandRow[];
      if (page.after === undefined) {
        rows = firstPage.all(deviceId, limit);
      } else {
        const after = decodeTimeIdCursor(page.after);
        rows = nextPage.all(deviceId, toMs(after.at), after.id, limit);
      }
      return toPage(rows.map(toCommand), page.first, cursorOf);
    },
    async findSentBefore(before, limit) {
      return sentBefore.all(toMs(before), sqlLimit(limit)).map(toCommand);
    },
    async listSentByDevice(deviceId) {
      return sentByDevice.all(deviceId).map(toCommand);
    },
    async removeByDevice(deviceId) {
      removeByDevice.run(deviceId);
    },
    async deleteFinishedBefore(before, limit) {
      return deleteFinishedBefore.run(toMs(before), sqlLimit(limit)).changes;
    },
    async pseudonymiseRequester(username, pseudonym) {
      return pseudonymiseRequester.run(pseudonym, username).changes;
    },
  };
}
