/**
 * Protocol v3 firmware updates (issue 13 item 4; the wire format both sides build to): the
 * server's signed `update` (cmd topic, `cmd` key, `ctr` from the command counter) and the lock's
 * progress, the `upd` member of a v3 status (after `ack`, before `sig`). Closed like every version:
 * an unknown member or value is malformed.
 *
 * Written beside the v2 codecs while protocol v3 negotiation is built elsewhere: a v3 status here is
 * the v2 status with `"v":3` and the optional `upd`; when v3 lands, its status schema takes `upd`
 * from this file and the ingest calls FirmwareUpdateIngest for it.
 */
import { z } from 'zod';
import { parseManifest } from '../../firmware/manifest.js';
import { COMMAND_ID_PATTERN, DEVICE_ID_PATTERN } from './limits.js';
import { ackMessage, statusMessage } from './messages.js';
import { BOLT_STATUSES_V2, CHANGE_SOURCES, DOOR_STATES } from './messages-v2.js';
import { signPayload } from './signature.js';
import { verifyMessage, zodCheck, type Verified } from './verify.js';

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

/** A v3 status: the v2 status with `"v":3` and the optional `upd`. */
export const statusMessageV3 = statusMessage
  .extend({
    v: z.literal(3),
    status: z.enum(BOLT_STATUSES_V2),
    door: z.enum(DOOR_STATES),
    src: z.enum(CHANGE_SOURCES),
    cid: z.string().regex(COMMAND_ID_PATTERN).optional(),
    ack: ackMessage.optional(),
    upd: updProgress.optional(),
  })
  .refine((s) => (s.src === 'REMOTE') === (s.cid !== undefined), { message: 'cid is required with src REMOTE and only with it', path: ['cid'] });
export type StatusMessageV3 = z.infer<typeof statusMessageV3>;

export function updateJson(m: UpdateMessage): string {
  const { v, type, dev, id, ctr, ts, url, man, msig } = m;
  return JSON.stringify({ v, type, dev, id, ctr, ts, url, man, msig });
}

export function updProgressJson(upd: UpdProgress): { id: string; state: UpdateState; reason?: UpdateReason } {
  return upd.reason === undefined ? { id: upd.id, state: upd.state } : { id: upd.id, state: upd.state, reason: upd.reason };
}

export function statusV3Json(m: StatusMessageV3): string {
  const { v, type, dev, boot, seq, status, door, src, cid, ctr, ts, uptime, rssi, battery, power, issue, fw, ack, upd } = m;
  const orderedAck = ack && { id: ack.id, result: ack.result, reason: ack.reason };
  return JSON.stringify({ v, type, dev, boot, seq, status, door, src, cid, ctr, ts, uptime, rssi, battery, power, issue, fw, ack: orderedAck, upd: upd && updProgressJson(upd) });
}

/** The signed `update`, with the lock's `cmd` key. */
export function updatePayload(cmdKey: Buffer, body: Omit<UpdateMessage, 'v' | 'type'>): string {
  return signPayload(cmdKey, updateJson({ v: 3, type: 'update', ...body }));
}

const checkUpdate = zodCheck(updateMessage);
const checkStatusV3 = zodCheck(statusMessageV3);

/** What a lock (or the simulator) checks before acting on an `update`: the usual order, then the fields. */
export function verifyUpdate(cmdKey: Buffer, payload: string, topicDevice: string): Verified<UpdateMessage> {
  return verifyMessage(cmdKey, payload, topicDevice, { typesByVersion: { 3: ['update'] }, checkFields: checkUpdate });
}

/** A v3 status, checked with the lock's `status` key. */
export function verifyStatusV3(statusKey: Buffer, payload: string, topicDevice: string): Verified<StatusMessageV3> {
  return verifyMessage(statusKey, payload, topicDevice, { typesByVersion: { 3: ['status'] }, checkFields: checkStatusV3 });
}
