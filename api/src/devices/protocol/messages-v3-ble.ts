/**
 * Bluetooth offline keys (issue 16 item 10; docs/protocol.md's BLE section): the capability C the
 * api issues, its secret s = HMAC-SHA256(key("ble"), C), the phone's request B and the lock's
 * result R (built here for the shared vectors), the server's revocation list `blerev` (v3, cmd
 * topic, cmd key, `ctr` from the command counter) and the `ble` member of a v3 status that reports
 * one offline use. Every string follows the protocol's one string rule (strict-json.ts).
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { deriveKey } from './keys.js';
import { COMMAND_ID_PATTERN, DEVICE_ID_PATTERN } from './limits.js';
import { hmacHex, signPayload } from './signature.js';

/** 16 lowercase hex: 8 random bytes per issued key. */
export const KID_PATTERN = /^[0-9a-f]{16}$/;
/** The api's user id (a UUID fits). */
export const BLE_UID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
/** The longest window a lock accepts (`na - nb`, seconds). */
export const MAX_OFFLINE_KEY_WINDOW_S = 43_200;
/** At most this many kids in one `blerev`; more revoked keys move `before` instead. */
export const MAX_BLEREV_KIDS = 32;
/** The api names its revocation lists `blerev-<uuid>`: an ack says it answers one. */
export const BLEREV_ID_PREFIX = 'blerev-';
/** The `ble` status member: `<kid>.<L|U>.<unix s>`. */
export const BLE_USE_PATTERN = /^([0-9a-f]{16})\.(L|U)\.(0|[1-9][0-9]{0,11})$/;

export type OfflineActions = 'L' | 'U' | 'LU';

/** The members of an offline key's capability, in C's order after `v` and `type`. */
export interface Capability {
  dev: string;
  kid: string;
  uid: string;
  act: OfflineActions;
  nb: number;
  na: number;
}

/** C: compact JSON in exactly the design's member order. */
export function capabilityJson(c: Capability): string {
  const { dev, kid, uid, act, nb, na } = c;
  return JSON.stringify({ v: 3, type: 'blekey', dev, kid, uid, act, nb, na });
}

/** key("ble") of a device secret: HKDF-SHA256(K, "smartlock", "smartlock v2 ble", 32). */
export function bleKey(secret: Buffer): Buffer {
  return deriveKey(secret, 'ble');
}

/** s = HMAC-SHA256(key("ble"), C): the offline key's secret (never stored, recomputed). */
export function offlineKeySecret(bleKeyBytes: Buffer, capability: Capability): Buffer {
  return createHmac('sha256', bleKeyBytes).update(capabilityJson(capability), 'utf8').digest();
}

/** B unsigned: C's members after `type`, then `op` and the lock's nonce. */
export function bleOpJson(c: Capability, op: 'UNLOCK' | 'LOCK', nonce: string): string {
  const { dev, kid, uid, act, nb, na } = c;
  return JSON.stringify({ v: 3, type: 'bleop', dev, kid, uid, act, nb, na, op, n: nonce });
}

/** R unsigned: `reason` only when rejected. */
export function bleResultJson(r: { dev: string; n: string; result: 'ok' | 'rejected'; reason?: string; status: string }): string {
  const { dev, n, result, reason, status } = r;
  return JSON.stringify({ v: 3, type: 'bleres', dev, n, result, reason, status });
}

/** B or R with `,"sig":"<hex HMAC(s, ..)>"` before the final `}`. */
export function signWithOfflineKey(secret: Buffer, unsigned: string): string {
  return signPayload(secret, unsigned);
}

export { hmacHex };

const positive = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Server → lock: the whole revocation list, replacing the lock's. */
export const blerevMessage = z.strictObject({
  v: z.literal(3),
  type: z.literal('blerev'),
  dev: z.string().regex(DEVICE_ID_PATTERN),
  id: z.string().regex(COMMAND_ID_PATTERN),
  ctr: positive,
  ts: count,
  before: count,
  kids: z.string().refine((kids) => kids === '' || (kids.split(',').length <= MAX_BLEREV_KIDS && kids.split(',').every((kid) => KID_PATTERN.test(kid))), `up to ${MAX_BLEREV_KIDS} comma-separated kids`),
});
export type BlerevMessage = z.infer<typeof blerevMessage>;

export function blerevJson(m: BlerevMessage): string {
  const { v, type, dev, id, ctr, ts, before, kids } = m;
  return JSON.stringify({ v, type, dev, id, ctr, ts, before, kids });
}

/** The signed `blerev`, with the lock's `cmd` key. */
export function blerevPayload(cmdKey: Buffer, body: Omit<BlerevMessage, 'v' | 'type'>): string {
  return signPayload(cmdKey, blerevJson({ v: 3, type: 'blerev', ...body }));
}

export interface BleUse {
  kid: string;
  op: 'LOCK' | 'UNLOCK';
  /** When the lock says it moved, unix seconds. */
  at: number;
}

/** The `ble` member read, or null when it breaks the pattern (the status schema already refuses that). */
export function parseBleUse(text: string): BleUse | null {
  const match = BLE_USE_PATTERN.exec(text);
  if (!match?.[1] || !match[2] || match[3] === undefined) return null;
  const at = Number(match[3]);
  if (!Number.isSafeInteger(at)) return null;
  return { kid: match[1], op: match[2] === 'L' ? 'LOCK' : 'UNLOCK', at };
}

export function bleUseText(use: BleUse): string {
  return `${use.kid}.${use.op === 'LOCK' ? 'L' : 'U'}.${use.at}`;
}
