/**
 * Protocol v3 firmware updates (issue 13 item 4; the wire format both sides build to): the
 * server's signed `update` (cmd topic, `cmd` key, `ctr` from the command counter) and the lock's
 * progress, the `upd` member of a v3 status (after `ack`, before `sig`; the status schema in
 * messages-v2.ts takes it from here). Closed like every version: an unknown member or value is
 * malformed. Verified through verify-v2.ts like every keyed message (versions.ts lists `update`).
 */
import { z } from 'zod';
import { parseManifest } from '../../firmware/manifest.js';
import { COMMAND_ID_PATTERN, DEVICE_ID_PATTERN } from './limits.js';
import { signPayload } from './signature.js';

export const UPDATE_PROTOCOL_VERSION = 3;
export const UPDATE_STATES = ['DOWNLOADING', 'VERIFYING', 'REBOOTING', 'TRIAL', 'CONFIRMED', 'FAILED', 'ROLLED_BACK'] as const;
export type UpdateState = (typeof UPDATE_STATES)[number];
export const UPDATE_REASONS = [
  'bad_signature',
  'wrong_hw',
  'downgrade',
  'too_big',
  'busy',
  'battery_low',
  'download',
  'truncated',
  'bad_hash',
  'flash',
  'no_welcome',
  'crash',
] as const;
export type UpdateReason = (typeof UPDATE_REASONS)[number];
export const MAX_UPDATE_URL_LENGTH = 200;
/** `upd-` and a UUID, within the command id alphabet. */
export const UPDATE_ID_PATTERN = /^upd-[A-Za-z0-9-]{1,60}$/;
/** An absolute http(s) URL of printable ASCII without quotes or backslashes (it sits in JSON unescaped). */
const UPDATE_URL_PATTERN = /^https?:\/\/[\x21\x23-\x5b\x5d-\x7e]+$/;

const positive = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const updateMessage = z.strictObject({
  v: z.literal(3),
  type: z.literal('update'),
  dev: z.string().regex(DEVICE_ID_PATTERN),
  id: z.string().regex(UPDATE_ID_PATTERN).regex(COMMAND_ID_PATTERN),
  ctr: positive,
  ts: count,
  url: z.string().max(MAX_UPDATE_URL_LENGTH).regex(UPDATE_URL_PATTERN),
  man: z.string().refine((line) => {
    try {
      parseManifest(line);
      return true;
    } catch {
      return false;
    }
  }, 'not a valid sl-fw1 manifest'),
  msig: z.string().regex(/^[0-9a-f]{128}$/),
});
export type UpdateMessage = z.infer<typeof updateMessage>;

const FAILURE_STATES: readonly UpdateState[] = ['FAILED', 'ROLLED_BACK'];

/** The `upd` member: `reason` comes with FAILED and ROLLED_BACK and only with them. */
export const updProgress = z
  .strictObject({
    id: z.string().regex(UPDATE_ID_PATTERN),
    state: z.enum(UPDATE_STATES),
    reason: z.enum(UPDATE_REASONS).optional(),
  })
  .refine((upd) => FAILURE_STATES.includes(upd.state) === (upd.reason !== undefined), {
    message: 'reason is required with FAILED and ROLLED_BACK and only with them',
    path: ['reason'],
  });
export type UpdProgress = z.infer<typeof updProgress>;

export function updateJson(m: UpdateMessage): string {
  const { v, type, dev, id, ctr, ts, url, man, msig } = m;
  return JSON.stringify({ v, type, dev, id, ctr, ts, url, man, msig });
}

export function updProgressJson(upd: UpdProgress): { id: string; state: UpdateState; reason?: UpdateReason } {
  return upd.reason === undefined ? { id: upd.id, state: upd.state } : { id: upd.id, state: upd.state, reason: upd.reason };
}

/** The signed `update`, with the lock's `cmd` key. */
export function updatePayload(cmdKey: Buffer, body: Omit<UpdateMessage, 'v' | 'type'>): string {
  return signPayload(cmdKey, updateJson({ v: 3, type: 'update', ...body }));
}
