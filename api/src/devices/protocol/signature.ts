/**
 * The signed envelope: a payload ends with `,"sig":"<64 lowercase hex>"}` and
 * sig = HMAC-SHA256(K, payload with that suffix replaced by `}`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { MQTT_PASSWORD_LABEL } from './limits.js';

const SIG_HEAD = ',"sig":"';
const SIG_TAIL = '"}';
const SIG_HEX_LENGTH = 64;

/** A hex digest: Node builds a string faster than a Buffer (bench/heartbeat-path.mjs). */
export function hmacHex(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/** Appends the signature member to an unsigned compact JSON object. */
export function signPayload(key: Buffer, unsigned: string): string {
  if (!unsigned.endsWith('}')) throw new Error('unsigned payload must be a JSON object');
  return `${unsigned.slice(0, -1)},"sig":"${hmacHex(key, unsigned)}"}`;
}

export type EnvelopeResult = { ok: true; unsigned: string } | { ok: false; reason: 'malformed' | 'bad_signature' };

/**
 * Checks the suffix form and the HMAC (constant time) before anything else is read. The suffix
 * has a fixed length, so it is checked in place: no regular expression, no copy of the signature.
 */
export function openEnvelope(key: Buffer, payload: string): EnvelopeResult {
  const sigAt = payload.length - SIG_TAIL.length - SIG_HEX_LENGTH;
  const headAt = sigAt - SIG_HEAD.length;
  if (headAt < 0 || !payload.startsWith(SIG_HEAD, headAt) || !payload.endsWith(SIG_TAIL) || !isLowerHex(payload, sigAt, SIG_HEX_LENGTH)) {
    return { ok: false, reason: 'malformed' };
  }
  const unsigned = `${payload.slice(0, headAt)}}`;
  if (!sameInConstantTime(hmacHex(key, unsigned), payload, sigAt)) return { ok: false, reason: 'bad_signature' };
  return { ok: true, unsigned };
}

function isLowerHex(text: string, from: number, length: number): boolean {
  for (let i = from; i < from + length; i++) {
    const code = text.charCodeAt(i);
    if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) return false;
  }
  return true;
}

/**
 * Whether `text` holds `expected` at `from`, in time that does not depend on where they differ
 * (timingSafeEqual's rule, on the strings: no early exit, so a forger learns nothing per byte).
 */
function sameInConstantTime(expected: string, text: string, from: number): boolean {
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ text.charCodeAt(from + i);
  return difference === 0;
}

/** 32 random bytes, shown once to the owner as 64 lowercase hex characters. */
export function newDeviceSecret(): Buffer {
  return randomBytes(32);
}

/** The lock's broker password: hex(HMAC-SHA256(K, "SLMQTT1")). */
export function mqttPassword(key: Buffer): string {
  return hmacHex(key, MQTT_PASSWORD_LABEL);
}
