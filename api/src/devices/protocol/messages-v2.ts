/**
 * The typed contract for protocol v2 payloads (docs/protocol.md §11), which v3
 * keeps with `"v":3` (§13; hello and welcome stay `"v":2`). Closed per version
 * like v1: an unknown member is malformed, because new members only ever come
 * with a new version number, sent only to a peer that announced it in `hello`.
 * Which types exist in which version: versions.ts.
 */
import { z } from 'zod';
import { COMMAND_ID_PATTERN, DEVICE_ID_PATTERN, MAX_FIRMWARE_LENGTH } from './limits.js';
import { ackMessage, statusMessage } from './messages.js';
import { updProgress, updProgressJson } from './messages-v3-update.js';
import { MAINS_HEARTBEAT_S, MAX_HEARTBEAT_S } from '../../store/heartbeat-deadline.js';
import { BLE_USE_PATTERN } from './messages-v3-ble.js';

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const positive = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const deviceId = z.string().regex(DEVICE_ID_PATTERN);
const commandId = z.string().regex(COMMAND_ID_PATTERN);
/** `v` of a message v2 and v3 share; the verifier has already matched it against the receiver's versions. */
export const keyedVersion = z.literal([2, 3]);

/** `vers`: the versions a lock speaks, ascending, comma-separated, e.g. `1,2`. */
export const VERSIONS_PATTERN = /^[1-9][0-9]{0,2}(,[1-9][0-9]{0,2}){0,7}$/;
export const MAX_RELOCK_SECONDS = 3600;

/** Parses `vers`, or null unless it is strictly ascending. */
export function parseVersions(vers: string): number[] | null {
  if (!VERSIONS_PATTERN.test(vers)) return null;
  const list = vers.split(',').map(Number);
  return list.every((v, i) => i === 0 || v > (list[i - 1] ?? 0)) ? list : null;
}

/** Lock → server, first after every (re)connect of a v2 lock, signed with the `status` key. */
export const helloMessage = z.strictObject({
  v: z.literal(2),
  type: z.literal('hello'),
  dev: deviceId,
  boot: positive,
  seq: positive,
  vers: z.string().refine((vers) => parseVersions(vers) !== null, 'expected ascending versions like "1,2"'),
  ts: count,
  fw: z.string().max(MAX_FIRMWARE_LENGTH),
});
export type HelloMessage = z.infer<typeof helloMessage>;

/** Server → lock, answering a hello, signed with the `cmd` key. */
export const welcomeMessage = z.strictObject({
  v: z.literal(2),
  type: z.literal('welcome'),
  dev: deviceId,
  ver: positive,
  ts: positive,
});
export type WelcomeMessage = z.infer<typeof welcomeMessage>;

export const commandMessageV2 = z.strictObject({
  v: keyedVersion,
  type: z.literal('cmd'),
  dev: deviceId,
  id: commandId,
  action: z.enum(['LOCK', 'UNLOCK']),
  ctr: positive,
  ts: count,
});
export type CommandMessageV2 = z.infer<typeof commandMessageV2>;

export const timeMessageV2 = z.strictObject({
  v: keyedVersion,
  type: z.literal('time'),
  dev: deviceId,
  boot: positive,
  seq: positive,
  ts: positive,
});
export type TimeMessageV2 = z.infer<typeof timeMessageV2>;

export const BOOT_BEHAVIOURS = ['STAY', 'LOCK'] as const;
export const LOCK_OPEN_BEHAVIOURS = ['REFUSE', 'ALLOW'] as const;

/** Server → lock: the lock-side behaviour; `ctr` shares the command counter and its replay rule. */
export const cfgMessage = z.strictObject({
  v: keyedVersion,
  type: z.literal('cfg'),
  dev: deviceId,
  id: commandId,
  ctr: positive,
  ts: count,
  relock: z.number().int().min(0).max(MAX_RELOCK_SECONDS),
  boot: z.enum(BOOT_BEHAVIOURS),
  lockOpen: z.enum(LOCK_OPEN_BEHAVIOURS),
});
export type CfgMessage = z.infer<typeof cfgMessage>;

export const BOLT_STATUSES_V2 = ['LOCKED', 'UNLOCKED', 'LOCKING', 'UNLOCKING', 'JAMMED', 'UNKNOWN'] as const;
export const DOOR_STATES = ['OPEN', 'CLOSED', 'UNKNOWN'] as const;
export const CHANGE_SOURCES = ['REMOTE', 'MANUAL', 'AUTO', 'BLE', 'BOOT'] as const;
export type DoorState = (typeof DOOR_STATES)[number];
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

export const statusMessageV2 = statusMessage
  .extend({
    v: keyedVersion,
    status: z.enum(BOLT_STATUSES_V2),
    door: z.enum(DOOR_STATES),
    src: z.enum(CHANGE_SOURCES),
    cid: commandId.optional(),
    ack: ackMessage.optional(),
    /** v3: the lock's heartbeat interval in seconds (§13.4); absent means the 9 s mains rule. */
    hb: z.number().int().min(MAINS_HEARTBEAT_S).max(MAX_HEARTBEAT_S).optional(),
    /** v3: a firmware update's progress (messages-v3-update.ts). */
    upd: updProgress.optional(),
    /** v3: one offline (Bluetooth) use, `<kid>.<L|U>.<unix s>` (messages-v3-ble.ts). */
    ble: z.string().regex(BLE_USE_PATTERN).optional(),
  })
  // The command id names what moved the bolt, so it comes with REMOTE and only with it.
  .refine((s) => (s.src === 'REMOTE') === (s.cid !== undefined), { message: 'cid is required with src REMOTE and only with it', path: ['cid'] })
  // New members come only with a new version (§11.4): `upd` is v3's.
  .refine((s) => s.upd === undefined || s.v === 3, { message: 'upd is a protocol v3 member', path: ['upd'] })
  .refine((s) => s.hb === undefined || s.v === 3, { message: 'hb is a protocol v3 member', path: ['hb'] })
  .refine((s) => s.ble === undefined || s.v === 3, { message: 'ble is a protocol v3 member', path: ['ble'] });
export type StatusMessageV2 = z.infer<typeof statusMessageV2>;

/**
 * v3, lock → server, signed with the `status` key (docs/protocol.md §13, §15.5): the lock was
 * factory-reset (a long press) and is about to forget K; the server releases it.
 */
export const resetMessage = z.strictObject({
  v: z.literal(3),
  type: z.literal('reset'),
  dev: deviceId,
  boot: positive,
  seq: positive,
  ts: count,
});
export type ResetMessage = z.infer<typeof resetMessage>;

export function resetJson(m: ResetMessage): string {
  const { v, type, dev, boot, seq, ts } = m;
  return JSON.stringify({ v, type, dev, boot, seq, ts });
}

/** Unsigned JSON builders, in the reference member order (optional members left out when absent). */
export function helloJson(m: HelloMessage): string {
  const { v, type, dev, boot, seq, vers, ts, fw } = m;
  return JSON.stringify({ v, type, dev, boot, seq, vers, ts, fw });
}

export function welcomeJson(m: WelcomeMessage): string {
  const { v, type, dev, ver, ts } = m;
  return JSON.stringify({ v, type, dev, ver, ts });
}

export function commandV2Json(m: CommandMessageV2): string {
  const { v, type, dev, id, action, ctr, ts } = m;
  return JSON.stringify({ v, type, dev, id, action, ctr, ts });
}

export function timeV2Json(m: TimeMessageV2): string {
  const { v, type, dev, boot, seq, ts } = m;
  return JSON.stringify({ v, type, dev, boot, seq, ts });
}

export function cfgJson(m: CfgMessage): string {
  const { v, type, dev, id, ctr, ts, relock, boot, lockOpen } = m;
  return JSON.stringify({ v, type, dev, id, ctr, ts, relock, boot, lockOpen });
}

export function statusV2Json(m: StatusMessageV2): string {
  const { v, type, dev, boot, seq, status, door, src, cid, ctr, ts, uptime, rssi, battery, power, hb, issue, fw, ack, upd, ble } = m;
  const orderedAck = ack && { id: ack.id, result: ack.result, reason: ack.reason };
  return JSON.stringify({ v, type, dev, boot, seq, status, door, src, cid, ctr, ts, uptime, rssi, battery, power, hb, issue, fw, ack: orderedAck, upd: upd && updProgressJson(upd), ble });
}
