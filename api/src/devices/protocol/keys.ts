/**
 * Protocol v2: one key per purpose, derived from the device secret K with
 * HKDF-SHA256 (RFC 5869), so K itself never keys an HMAC and a key leaked from
 * one use (say Bluetooth) cannot sign commands (docs/protocol.md §11).
 */
import { hkdfSync } from 'node:crypto';

export const KEY_LABELS = ['cmd', 'status', 'mqtt', 'ble', 'tls-psk', 'update'] as const;
export type KeyLabel = (typeof KEY_LABELS)[number];

/** The 9 ASCII bytes `smartlock`. */
export const HKDF_SALT = 'smartlock';
const INFO_PREFIX = 'smartlock v2 ';

/** The HKDF `info` of a label: ASCII `smartlock v2 <label>`. */
export function keyInfo(label: KeyLabel): string {
  return `${INFO_PREFIX}${label}`;
}

/** HKDF-SHA256 with the raw inputs (also checked against RFC 5869 test case 1). */
export function hkdfSha256(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

/** The 32-byte key for one purpose. */
export function deriveKey(secret: Buffer, label: KeyLabel): Buffer {
  return hkdfSha256(secret, Buffer.from(HKDF_SALT, 'ascii'), Buffer.from(keyInfo(label), 'ascii'), 32);
}

/** The v2 broker password: lowercase hex of the `mqtt` key. */
export function mqttPasswordV2(secret: Buffer): string {
  return deriveKey(secret, 'mqtt').toString('hex');
}
