/**
 * The phone's side of Bluetooth offline keys (docs/protocol.md, BLE; design of issue 16 item 10):
 * the capability C the api issued, the signed request B the lock checks, and the lock's result R.
 * Pure TypeScript over WebCrypto: HMAC-SHA256 with the key's secret s, never a bearer token.
 *
 * Every string follows the protocol's one string rule (printable ASCII, no backslash or quote), so
 * messages are built by concatenation in the exact member order the lock requires, and parsed ones
 * are rebuilt and compared with what arrived (an unexpected member, order or spacing is refused).
 */

export const BLE_SERVICE = '011d9a56-712b-4fb3-8c53-227cafb83176';
export const BLE_CHALLENGE = '3ca6911f-0df8-4095-b4d9-1eb1faaec813';
export const BLE_REQUEST = '4fac3ed9-466d-4436-ac93-eeeaf7877db5';
export const BLE_RESULT = 'e6d740e2-e475-42d7-9326-d1625bf8fc7a';
/** The lock refuses larger requests (`malformed`). */
export const BLE_MAX_REQUEST = 400;

export type BleAct = 'L' | 'U' | 'LU';
export type BleOp = 'LOCK' | 'UNLOCK';

/** C's members: what the lock recomputes the key's secret from. */
export interface Capability {
  dev: string;
  kid: string;
  uid: string;
  act: BleAct;
  /** Valid from, unix seconds. */
  nb: number;
  /** Valid until (exclusive), unix seconds. */
  na: number;
}

/** A key the app holds: the capability's exact text, its members and the secret s (64 hex). */
export interface OfflineKey extends Capability {
  capability: string;
  secret: string;
}

export interface Challenge {
  dev: string;
  /** 32 lowercase hex, single use, valid 30 s. */
  n: string;
  /** The lock's clock in unix seconds, 0 when it has no time. */
  t: number;
}

export interface LockResult {
  dev: string;
  n: string;
  result: 'ok' | 'rejected';
  reason: string | null;
  status: string;
  /** True when R carried a signature and it is HMAC(s, R): only then is an "ok" believed. */
  signed: boolean;
}

const STRING_RULE = /^[ !#-[\]-~]*$/;
const HEX64 = /^[0-9a-f]{64}$/;
const UID = /^[A-Za-z0-9-]{1,64}$/;
const KID = /^[0-9a-f]{16}$/;
const NONCE = /^[0-9a-f]{32}$/;

const isText = (value: unknown): value is string => typeof value === 'string' && STRING_RULE.test(value);
const isUnixSeconds = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function members(cap: Capability): string {
  return `"dev":"${cap.dev}","kid":"${cap.kid}","uid":"${cap.uid}","act":"${cap.act}","nb":${cap.nb},"na":${cap.na}`;
}

/** C, exactly as the api signs it and the lock recomputes it. */
export function capabilityText(cap: Capability): string {
  return `{"v":3,"type":"blekey",${members(cap)}}`;
}

/** The capability's members from C's text, or null when it is not exactly a capability. */
export function parseCapability(text: string): Capability | null {
  const o = parseObject(text);
  if (!o || !isText(o.dev) || typeof o.kid !== 'string' || !KID.test(o.kid) || typeof o.uid !== 'string' || !UID.test(o.uid)) return null;
  if ((o.act !== 'L' && o.act !== 'U' && o.act !== 'LU') || !isUnixSeconds(o.nb) || !isUnixSeconds(o.na) || o.nb >= o.na) return null;
  const cap: Capability = { dev: o.dev, kid: o.kid, uid: o.uid, act: o.act, nb: o.nb, na: o.na };
  return capabilityText(cap) === text ? cap : null;
}

/** An offline key from what the api answered, or null when it is not one the lock could accept. */
export function offlineKeyFrom(capability: string, secret: string): OfflineKey | null {
  const cap = parseCapability(capability);
  return cap && HEX64.test(secret) ? { ...cap, capability, secret } : null;
}

/** Whether the key lets its holder do `op`. */
export function allows(key: Pick<Capability, 'act'>, op: BleOp): boolean {
  return key.act.includes(op === 'LOCK' ? 'L' : 'U');
}

/** B before its signature: C's members after `type`, then `op` and the lock's nonce. */
export function requestText(cap: Capability, op: BleOp, nonce: string): string {
  return `{"v":3,"type":"bleop",${members(cap)},"op":"${op}","n":"${nonce}"}`;
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

const toHex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');

/** hex(HMAC-SHA256(key, message)) with WebCrypto. */
export async function hmacHex(keyHex: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', hexToBytes(keyHex), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toHex(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message)));
}

/** `message` with `,"sig":"<hex>"` inserted before its final `}` (the protocol's envelope: sig last). */
export function withSig(message: string, sig: string): string {
  return `${message.slice(0, -1)},"sig":"${sig}"}`;
}

/** The request to write to the lock: B signed with the key's secret. */
export async function signedRequest(key: OfflineKey, op: BleOp, nonce: string): Promise<string> {
  const body = requestText(key, op, nonce);
  return withSig(body, await hmacHex(key.secret, body));
}

/** The lock's challenge, or null when it is not one. */
export function parseChallenge(text: string): Challenge | null {
  const o = parseObject(text);
  if (!o || !isText(o.dev) || typeof o.n !== 'string' || !NONCE.test(o.n) || !isUnixSeconds(o.t)) return null;
  const challenge = { dev: o.dev, n: o.n, t: o.t };
  return `{"v":3,"type":"blechal","dev":"${challenge.dev}","n":"${challenge.n}","t":${challenge.t}}` === text ? challenge : null;
}

function resultText(r: Omit<LockResult, 'signed'>): string {
  const reason = r.reason === null ? '' : `,"reason":"${r.reason}"`;
  return `{"v":3,"type":"bleres","dev":"${r.dev}","n":"${r.n}","result":"${r.result}"${reason},"status":"${r.status}"}`;
}

/**
 * The lock's result, its signature checked with the key's secret; null when it is not a result.
 * A signature that is present but wrong makes the whole answer untrustworthy: null as well.
 */
export async function parseResult(text: string, key: Pick<OfflineKey, 'secret'>): Promise<LockResult | null> {
  const o = parseObject(text);
  if (!o || !isText(o.dev) || typeof o.n !== 'string' || !isText(o.status)) return null;
  if ((o.result !== 'ok' && o.result !== 'rejected') || (o.result === 'rejected') !== isText(o.reason)) return null;
  const fields: Omit<LockResult, 'signed'> = { dev: o.dev, n: o.n, result: o.result, reason: o.result === 'rejected' ? (o.reason as string) : null, status: o.status };
  const unsigned = resultText(fields);
  if (text === unsigned) return { ...fields, signed: false };
  if (typeof o.sig !== 'string' || !HEX64.test(o.sig) || text !== withSig(unsigned, o.sig)) return null;
  return (await hmacHex(key.secret, unsigned)) === o.sig ? { ...fields, signed: true } : null;
}
