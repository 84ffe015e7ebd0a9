/**
 * The hot-path twin of `statusMessage` (messages.ts): the same rules, written
 * out by hand because zod's strict-object parse was a fifth of the ingest cost
 * (bench/README.md). `status-validator.test.ts` holds the two to the same
 * verdicts on valid and mutated messages; the zod schema stays the reference.
 */
import { COMMAND_ID_PATTERN, DEVICE_ID_PATTERN, MAX_FIRMWARE_LENGTH, MAX_ISSUE_LENGTH, MAX_REASON_LENGTH } from './limits.js';
import type { StatusMessage } from './messages.js';

type Fields = Record<string, unknown>;
export type StatusCheck = { ok: true; message: StatusMessage } | { ok: false; detail: string };

const REQUIRED = ['v', 'type', 'dev', 'boot', 'seq', 'status', 'ctr', 'ts'] as const;
/** v1's members; later versions add to them. */
export const KNOWN = new Set<string>([...REQUIRED, 'uptime', 'rssi', 'battery', 'power', 'issue', 'fw', 'ack']);
const STATUSES = new Set(['LOCKED', 'UNLOCKED', 'JAMMED', 'UNKNOWN']);
const POWERS = new Set(['MAINS', 'BATTERY', 'LOW']);
const RESULTS = new Set(['ok', 'rejected', 'failed']);

export const isInt = (value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
const isShortText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

function checkAck(ack: unknown): string | null {
  if (typeof ack !== 'object' || ack === null || Array.isArray(ack)) return 'ack: expected an object';
  const fields = ack as Fields;
  for (const key of Object.keys(fields)) if (key !== 'id' && key !== 'result' && key !== 'reason') return `ack.${key}: unknown member`;
  if (typeof fields.id !== 'string' || !COMMAND_ID_PATTERN.test(fields.id)) return 'ack.id: invalid';
  if (typeof fields.result !== 'string' || !RESULTS.has(fields.result)) return 'ack.result: invalid';
  if (fields.reason !== undefined && !isShortText(fields.reason, MAX_REASON_LENGTH)) return 'ack.reason: invalid';
  if (fields.reason !== undefined && fields.result === 'ok') return 'ack.reason: only a result that is not ok has a reason';
  return null;
}

/** The members v1 and later versions share, after `v` and `type` (checked by the caller). */
export function sharedProblem(f: Fields, statuses: ReadonlySet<string>): string | null {
  if (typeof f.dev !== 'string' || !DEVICE_ID_PATTERN.test(f.dev)) return 'dev: invalid';
  if (!isInt(f.boot, 1)) return 'boot: expected an integer ≥ 1';
  if (!isInt(f.seq, 1)) return 'seq: expected an integer ≥ 1';
  if (typeof f.status !== 'string' || !statuses.has(f.status)) return 'status: invalid';
  if (!isInt(f.ctr, 0)) return 'ctr: expected an integer ≥ 0';
  if (!isInt(f.ts, 0)) return 'ts: expected an integer ≥ 0';
  if (f.uptime !== undefined && !isInt(f.uptime, 0)) return 'uptime: invalid';
  if (f.rssi !== undefined && !isInt(f.rssi, -200, 0)) return 'rssi: invalid';
  if (f.battery !== undefined && !isInt(f.battery, 0, 100)) return 'battery: invalid';
  if (f.power !== undefined && (typeof f.power !== 'string' || !POWERS.has(f.power))) return 'power: invalid';
  if (f.issue !== undefined && !isShortText(f.issue, MAX_ISSUE_LENGTH)) return 'issue: invalid';
  if (f.fw !== undefined && !isShortText(f.fw, MAX_FIRMWARE_LENGTH)) return 'fw: invalid';
  if (f.ack !== undefined) return checkAck(f.ack);
  return null;
}

function firstProblem(f: Fields): string | null {
  for (const key of Object.keys(f)) if (!KNOWN.has(key)) return `${key}: unknown member`;
  if (f.v !== 1) return 'v: expected 1';
  if (f.type !== 'status') return 'type: expected "status"';
  return sharedProblem(f, STATUSES);
}

export function checkStatus(body: unknown): StatusCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, detail: 'payload: expected an object' };
  const problem = firstProblem(body as Fields);
  return problem ? { ok: false, detail: problem } : { ok: true, message: body as StatusMessage };
}
