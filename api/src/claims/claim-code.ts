/**
 * The claim code printed on a lock and its box (docs/protocol.md "Claiming"): the lock's factory id
 * and its claim secret, with two check characters so a typo is caught before any network round trip.
 *
 *   SL1-<factory id: 16 hex>-<secret: 4 groups of 4 Crockford base32>-<check: 2 base32>
 *
 * Parsing ignores case, spaces and hyphens, and reads O as 0 and I/L as 1 (Crockford), so a code
 * read aloud or typed from a photo still parses. Dependency free: the app imports it too.
 */
const PREFIX = 'SL1';
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
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

function toBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Uint8Array | null {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text) {
    const digit = BASE32.indexOf(char);
    if (digit < 0) return null;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

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
