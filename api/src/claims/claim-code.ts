/**
 * The claim code printed on a lock and its box (docs/protocol.md "Claiming"): the lock's factory id
 * and its claim secret, with two check characters so a typo is caught before any network round trip.
 *
 *   SL1-<factory id: 16 hex>-<secret: 4 groups of 4 Crockford base32>-<check: 2 base32>
 *
 * Parsing ignores case, spaces and hyphens, and reads O as 0 and I/L as 1 (Crockford), so a code
 * read aloud or typed from a photo still parses. Free of Node modules: the app imports it too.
 */
import { CROCKFORD_ALPHABET, decodeBase32, encodeBase32 } from '../text/base32.js';

const PREFIX = 'SL1';
const BASE32 = CROCKFORD_ALPHABET;
export const FACTORY_ID_PATTERN = /^[0-9a-f]{16}$/;
export const CLAIM_SECRET_BYTES = 10;

export interface ClaimCode {
  /** 16 lowercase hex characters (64 bits): names the lock's claim topic and broker account. */
  factoryId: string;
  /** 10 bytes (80 bits). */
  secret: Uint8Array;
}

export type ParsedClaimCode = { ok: true; code: ClaimCode } | { ok: false; reason: 'format' | 'check' };

function crockford(text: string): string {
  return text.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
}

const toBase32 = (bytes: Uint8Array): string => encodeBase32(bytes, BASE32);
const fromBase32 = (text: string): Uint8Array | null => decodeBase32(text, BASE32);

/**
 * The two check characters of the 32 characters after "SL1" (factory id in upper case, then the
 * secret): Luhn mod 32 (RFC-free, the classic "Luhn mod N"), which catches every single wrong
 * character and nearly every swap of two neighbours, then 5 bits of SHA-256("SL1" + those 32),
 * which catch other damage 31 times in 32.
 */
export async function checkCharacters(factoryIdUpper: string, secretBase32: string, sha256: (text: string) => Promise<Uint8Array>): Promise<string> {
  const body = `${factoryIdUpper}${secretBase32}`;
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i -= 1) {
    const addend = factor * BASE32.indexOf(body[i] ?? '0');
    sum += Math.floor(addend / 32) + (addend % 32);
    factor = factor === 2 ? 1 : 2;
  }
  const digest = await sha256(`${PREFIX}${body}`);
  return `${BASE32[(32 - (sum % 32)) % 32]}${BASE32[(digest[0] ?? 0) >>> 3]}`;
}

/** The printed form. */
export async function formatClaimCode(code: ClaimCode, sha256: (text: string) => Promise<Uint8Array>): Promise<string> {
  const fid = code.factoryId.toUpperCase();
  const secret = toBase32(code.secret);
  const check = await checkCharacters(fid, secret, sha256);
  return `${PREFIX}-${fid}-${secret.match(/.{4}/g)?.join('-') ?? secret}-${check}`;
}

/** Reads a typed or scanned code; a link `https://<app>/claim#<code>` is read from its `#`. */
export async function parseClaimCode(raw: string, sha256: (text: string) => Promise<Uint8Array>): Promise<ParsedClaimCode> {
  const fragment = raw.includes('#') ? raw.slice(raw.lastIndexOf('#') + 1) : raw;
  let compact: string;
  try {
    compact = decodeURIComponent(fragment).replace(/[\s-]/g, '');
  } catch {
    return { ok: false, reason: 'format' };
  }
  if (compact.length !== 37 || compact.slice(0, 3).toUpperCase() !== PREFIX) return { ok: false, reason: 'format' };
  const body = crockford(compact.slice(3));
  const fid = body.slice(0, 16);
  const secretText = body.slice(16, 32);
  const check = body.slice(32);
  if (!/^[0-9A-F]{16}$/.test(fid)) return { ok: false, reason: 'format' };
  const secret = fromBase32(secretText);
  if (!secret || secret.length !== CLAIM_SECRET_BYTES || ![...check].every((c) => BASE32.includes(c))) return { ok: false, reason: 'format' };
  if ((await checkCharacters(fid, secretText, sha256)) !== check) return { ok: false, reason: 'check' };
  return { ok: true, code: { factoryId: fid.toLowerCase(), secret } };
}
