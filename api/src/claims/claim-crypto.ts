/**
 * The keys and messages of claiming (docs/protocol.md "Claiming"). Every key comes from the claim
 * secret with HKDF-SHA256, bound to the factory id:
 *
 *   key(label) = HKDF-SHA256(IKM = secret (10 bytes), salt = "smartlock claim",
 *                            info = "smartlock claim " + label + " " + factoryId, L = 32)
 *
 * labels: `hello` (the unclaimed lock signs its announcements), `claim` (the server signs the claim
 * message), `broker` (hex: the claim account's password on a broker that checks it), `verifier` (kept by the server to recognise the code of a lock already claimed), and
 * `enc <nonce hex>` (the pad that hides K in one claim message; a fresh nonce per message).
 */
import { createHash, randomBytes } from 'node:crypto';
import { hkdfSha256 } from '../devices/protocol/keys.js';
import { DEVICE_ID_PATTERN } from '../devices/protocol/limits.js';
import { openEnvelope, signPayload } from '../devices/protocol/signature.js';
import { isCompactUniqueJson } from '../devices/protocol/strict-json.js';
import type { ClaimCode } from './claim-code.js';

const SALT = Buffer.from('smartlock claim', 'ascii');
export const LOCK_NONCE_PATTERN = /^[0-9a-f]{16}$/;

export const sha256 = async (text: string): Promise<Uint8Array> => createHash('sha256').update(text, 'ascii').digest();

export function claimKey(code: ClaimCode, label: string): Buffer {
  return hkdfSha256(Buffer.from(code.secret), SALT, Buffer.from(`smartlock claim ${label} ${code.factoryId}`, 'ascii'), 32);
}

/**
 * The claim account's broker password (hex of key(broker)): a broker that creates `claim-<fid>` only
 * when someone types the code (Mosquitto with dynamic security) then lets only the code's holder in.
 */
export function claimBrokerPassword(code: ClaimCode): string {
  return claimKey(code, 'broker').toString('hex');
}

/** What the server keeps of a claimed lock's code: enough to recognise it, not to sign or decrypt. */
export function claimVerifier(code: ClaimCode): string {
  return claimKey(code, 'verifier').toString('hex');
}

/** An unclaimed lock's announcement, as received (its signature can be checked only once a code names it). */
export interface UnclaimedHello {
  factoryId: string;
  /** The lock's nonce for this unclaimed period: the claim message must echo it. */
  nonce: string;
  payload: string;
}

/** Reads a hello's topic-bound fields without trusting them (nothing here is verified yet). */
export function readHello(factoryId: string, payload: string): UnclaimedHello | null {
  if (payload.length > 256) return null;
  const match = /^\{"v":1,"type":"unclaimed","fid":"([0-9a-f]{16})","n":"([0-9a-f]{16})","fw":"[\x20-\x21\x23-\x5b\x5d-\x7e]{0,32}","sig":"[0-9a-f]{64}"\}$/.exec(payload);
  if (!match || match[1] !== factoryId || !match[2]) return null;
  return { factoryId, nonce: match[2], payload };
}

/** True when the code's holder signed this hello: the code is right and the lock is there. */
export function helloProvesCode(hello: UnclaimedHello, code: ClaimCode): boolean {
  if (hello.factoryId !== code.factoryId) return false;
  const opened = openEnvelope(claimKey(code, 'hello'), hello.payload);
  return opened.ok && isCompactUniqueJson(opened.unsigned);
}

export function signHello(code: ClaimCode, nonce: string, firmware: string): string {
  return signPayload(claimKey(code, 'hello'), `{"v":1,"type":"unclaimed","fid":"${code.factoryId}","n":"${nonce}","fw":"${firmware}"}`);
}

/** The claim message: the lock's new device id and K, K hidden under a pad only the code's holder can derive. */
export function claimMessage(code: ClaimCode, lockNonce: string, deviceId: string, deviceSecret: Buffer, nonce: Buffer = randomBytes(16)): string {
  const nonceHex = nonce.toString('hex');
  const pad = claimKey(code, `enc ${nonceHex}`);
  const hidden = Buffer.alloc(32);
  for (let i = 0; i < 32; i += 1) hidden[i] = (deviceSecret[i] ?? 0) ^ (pad[i] ?? 0);
  return signPayload(
    claimKey(code, 'claim'),
    `{"v":1,"type":"claim","fid":"${code.factoryId}","n":"${lockNonce}","dev":"${deviceId}","nonce":"${nonceHex}","key":"${hidden.toString('hex')}"}`,
  );
}

/** The lock's side (the simulator and tests): the device id and K, or null when the message is not for this code and nonce. */
export function openClaimMessage(code: ClaimCode, lockNonce: string, payload: string): { deviceId: string; deviceSecret: Buffer } | null {
  const opened = openEnvelope(claimKey(code, 'claim'), payload);
  if (!opened.ok || !isCompactUniqueJson(opened.unsigned)) return null;
  const match = /^\{"v":1,"type":"claim","fid":"([0-9a-f]{16})","n":"([0-9a-f]{16})","dev":"([^"]*)","nonce":"([0-9a-f]{32})","key":"([0-9a-f]{64})"\}$/.exec(opened.unsigned);
  if (!match?.[3] || !match[4] || !match[5] || match[1] !== code.factoryId || match[2] !== lockNonce || !DEVICE_ID_PATTERN.test(match[3])) return null;
  const pad = claimKey(code, `enc ${match[4]}`);
  const hidden = Buffer.from(match[5], 'hex');
  const secret = Buffer.alloc(32);
  for (let i = 0; i < 32; i += 1) secret[i] = (hidden[i] ?? 0) ^ (pad[i] ?? 0);
  return { deviceId: match[3], deviceSecret: secret };
}
