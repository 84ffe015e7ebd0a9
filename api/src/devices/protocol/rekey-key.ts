/**
 * How a `rekey` carries the new secret (docs/protocol.md §13.3): a one-time pad
 * derived from the CURRENT secret K with the key schedule of §11.1 and the
 * rekey's id in the label, XORed with the new secret K'. The id is fresh for
 * every new K' (the server never pairs one id with two secrets), so no pad is
 * used for two different secrets; the message's HMAC (the `cmd` key) already
 * authenticates it, so the pad only has to keep K' secret from the wire.
 */
import { hkdfSha256, HKDF_SALT } from './keys.js';

/** The HKDF `info` of a rekey's pad: `smartlock v2 rekey <id>` (the v2 key schedule, label `rekey <id>`). */
export function rekeyPadInfo(id: string): string {
  return `smartlock v2 rekey ${id}`;
}

export function rekeyPad(currentSecret: Buffer, id: string): Buffer {
  return hkdfSha256(currentSecret, Buffer.from(HKDF_SALT, 'ascii'), Buffer.from(rekeyPadInfo(id), 'ascii'), 32);
}

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((byte, i) => byte ^ (b[i] ?? 0)));
}

/** The `key` member: hex(K' XOR pad). */
export function sealNewSecret(currentSecret: Buffer, id: string, newSecret: Buffer): string {
  if (newSecret.length !== 32) throw new Error('a device secret is 32 bytes');
  return xor(newSecret, rekeyPad(currentSecret, id)).toString('hex');
}

/** The lock's side: K' from the `key` member. */
export function openNewSecret(currentSecret: Buffer, id: string, keyHex: string): Buffer {
  return xor(Buffer.from(keyHex, 'hex'), rekeyPad(currentSecret, id));
}
