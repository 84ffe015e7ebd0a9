/**
 * The hot-path twin of `statusMessageV2` (messages-v2.ts) for the commonest message of a v2 or v3
 * lock, its heartbeat: written out by hand like v1's (status-validator.ts), since zod cost a v3
 * heartbeat 2.5 µs more than a v1 one (bench/heartbeat-path.mjs). A status carrying a firmware
 * update's progress (`upd`) or an offline use (`ble`) is rare and goes to the zod schema whole.
 * `status-validator-v2.test.ts` holds the two to the same verdicts; the zod schema stays the reference.
 */
import { COMMAND_ID_PATTERN } from './limits.js';
import { BOLT_STATUSES_V2, CHANGE_SOURCES, DOOR_STATES, statusMessageV2, type StatusMessageV2 } from './messages-v2.js';
import { isInt, KNOWN, sharedProblem } from './status-validator.js';
import { zodCheck } from './verify.js';
import { MAINS_HEARTBEAT_S, MAX_HEARTBEAT_S } from '../../store/heartbeat-deadline.js';

type Fields = Record<string, unknown>;
export type StatusCheckV2 = { ok: true; message: StatusMessageV2 } | { ok: false; detail: string };

const KNOWN_V2 = new Set<string>([...KNOWN, 'door', 'src', 'cid', 'hb']);
const STATUSES = new Set<string>(BOLT_STATUSES_V2);
const DOORS = new Set<string>(DOOR_STATES);
const SOURCES = new Set<string>(CHANGE_SOURCES);
const bySchema = zodCheck(statusMessageV2);

function firstProblem(f: Fields): string | null {
  for (const key of Object.keys(f)) if (!KNOWN_V2.has(key)) return `${key}: unknown member`;
  if (f.v !== 2 && f.v !== 3) return 'v: expected 2 or 3';
  if (f.type !== 'status') return 'type: expected "status"';
  const shared = sharedProblem(f, STATUSES);
  if (shared) return shared;
  if (typeof f.door !== 'string' || !DOORS.has(f.door)) return 'door: invalid';
  if (typeof f.src !== 'string' || !SOURCES.has(f.src)) return 'src: invalid';
  if (f.cid !== undefined && (typeof f.cid !== 'string' || !COMMAND_ID_PATTERN.test(f.cid))) return 'cid: invalid';
  if (f.hb !== undefined && !isInt(f.hb, MAINS_HEARTBEAT_S, MAX_HEARTBEAT_S)) return 'hb: invalid';
  // The schema's refinements: the command id comes with REMOTE and only with it; `hb` is v3's.
  if ((f.src === 'REMOTE') !== (f.cid !== undefined)) return 'cid: cid is required with src REMOTE and only with it';
  if (f.hb !== undefined && f.v !== 3) return 'hb: hb is a protocol v3 member';
  return null;
}

export function checkStatusV2(body: unknown): StatusCheckV2 {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, detail: 'payload: expected an object' };
  const fields = body as Fields;
  if (fields.upd !== undefined || fields.ble !== undefined) return bySchema(body);
  const problem = firstProblem(fields);
  return problem ? { ok: false, detail: problem } : { ok: true, message: body as StatusMessageV2 };
}
