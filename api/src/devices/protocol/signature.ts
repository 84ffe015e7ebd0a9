/**
 * The signed envelope: a payload ends with `,"sig":"<64 lowercase hex>"}` and
 * sig = HMAC-SHA256(K, payload with that suffix replaced by `}`).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { MQTT_PASSWORD_LABEL } from './limits.js';

const SIG_SUFFIX = /,"sig":"([0-9a-f]{64})"\}$/;

export function hmacHex(key: Buffer, text: string): string {
  return hmac(key, text).toString('hex');
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/** Appends the signature member to an unsigned compact JSON object. */
export function signPayload(key: Buffer, unsigned: string): string {
  if (!unsigned.endsWith('}')) throw new Error('unsigned payload must be a JSON object');
  return `${unsigned.slice(0, -1)},"sig":"${hmacHex(key, unsigned)}"}`;
}

export type EnvelopeResult = { ok: true; unsigned: string } | { ok: false; reason: 'malformed' | 'bad_signature' };

/** Checks the suffix form and the HMAC (constant time) before anything else is read. */
export function openEnvelope(key: Buffer, payload: string): EnvelopeResult {
  const match = SIG_SUFFIX.exec(payload);
  if (!match?.[1]) return { ok: false, reason: 'malformed' };
  const unsigned = `${payload.slice(0, match.index)}}`;
  const expected = hmac(key, unsigned);
  const given = Buffer.from(match[1], 'hex');
  if (!timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
  return { ok: true, unsigned };
}

/** 32 random bytes, shown once to the owner as 64 lowercase hex characters. */
export function newDeviceSecret(): Buffer {
  return randomBytes(32);
}

/** The lock's broker password: hex(HMAC-SHA256(K, "SLMQTT1")). */
export function mqttPassword(key: Buffer): string {
  return hmacHex(key, MQTT_PASSWORD_LABEL);
}
