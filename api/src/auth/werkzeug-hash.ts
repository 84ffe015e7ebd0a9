/**
 * Password hashes written by the Flask system (Werkzeug's `generate_password_hash`), so its users
 * can sign in after a migration; a hash is replaced by one of ours at the first successful sign-in.
 *
 * Format, as in werkzeug/security.py (2.0 to 3.1): `<method>$<salt>$<hex digest>`, where method is
 * `pbkdf2:<hash name>:<iterations>` (PBKDF2-HMAC, key as long as the digest) or `scrypt:<n>:<r>:<p>`
 * (64-byte key, plain `scrypt` meaning 32768:8:1). The salt is used as its UTF-8 text and the
 * password as its UTF-8 bytes, unnormalised (unlike our own hashes, which NFKC first). Werkzeug's
 * unsalted and `plain` methods and plain salted HMACs (`sha256$salt$hmac`, < 3.0) are not accepted:
 * those users get a recovery link (docs/migrating-from-flask.md).
 */
import { pbkdf2, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface WerkzeugMethod {
  /** Canonical `pbkdf2:sha256:600000` / `scrypt:32768:8:1`: equal strings mean equal work. */
  readonly name: string;
  derive(password: Buffer, salt: Buffer): Promise<Buffer>;
}

const PBKDF2_DIGESTS: Record<string, number> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };
/**
 * Work a stored hash may ask for at each sign-in (and, for equal timing, at everyone's): far above
 * Werkzeug's defaults (1,000,000 iterations; n = 32768), far below what a planted hash could use to
 * stall the server.
 */
const MAX_PBKDF2_ITERATIONS = 5_000_000;
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
const SCRYPT_KEY_LENGTH = 64;

function pbkdf2Method(hashName: string, iterations: number): WerkzeugMethod | null {
  const keyLength = PBKDF2_DIGESTS[hashName];
  if (keyLength === undefined || !Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) return null;
  return {
    name: `pbkdf2:${hashName}:${iterations}`,
    derive: (password, salt) =>
      new Promise((resolve, reject) => pbkdf2(password, salt, iterations, keyLength, hashName, (error, key) => (error ? reject(error) : resolve(key)))),
  };
}

function scryptMethod(n: number, r: number, p: number): WerkzeugMethod | null {
  const valid = [n, r, p].every((value) => Number.isSafeInteger(value) && value >= 1) && n > 1 && (n & (n - 1)) === 0;
  // Werkzeug allows 132 * n * r * p bytes; the 128 * n * r that scrypt really needs must fit our cap.
  const memory = 132 * n * r * p;
  if (!valid || memory > MAX_SCRYPT_MEMORY) return null;
  return {
    name: `scrypt:${n}:${r}:${p}`,
    derive: (password, salt) =>
      new Promise((resolve, reject) =>
        scrypt(password, salt, SCRYPT_KEY_LENGTH, { N: n, r, p, maxmem: memory }, (error, key) => (error ? reject(error) : resolve(key))),
      ),
  };
}

function integers(texts: string[]): number[] | null {
  const values = texts.map((text) => (/^\d{1,10}$/.test(text) ? Number(text) : Number.NaN));
  return values.some(Number.isNaN) ? null : values;
}

/** The method of a Werkzeug method string (`pbkdf2:sha256:260000`), or null if not one we accept. */
export function werkzeugMethod(method: string): WerkzeugMethod | null {
  const [kind, ...args] = method.split(':');
  if (kind === 'pbkdf2' && args.length === 2 && args[0] !== undefined) {
    const [iterations] = integers(args.slice(1)) ?? [];
    return iterations === undefined ? null : pbkdf2Method(args[0], iterations);
  }
  if (kind === 'scrypt' && args.length === 0) return scryptMethod(2 ** 15, 8, 1);
  if (kind === 'scrypt' && args.length === 3) {
    const [n, r, p] = integers(args) ?? [];
    return n === undefined || r === undefined || p === undefined ? null : scryptMethod(n, r, p);
  }
  return null;
}

interface WerkzeugHash {
  method: WerkzeugMethod;
  salt: Buffer;
  digest: Buffer;
}

/** A stored Werkzeug hash, or null if `stored` is not one (or asks for a method we refuse). */
export function parseWerkzeugHash(stored: string): WerkzeugHash | null {
  const first = stored.indexOf('$');
  const second = stored.indexOf('$', first + 1);
  if (first < 0 || second < 0) return null;
  const method = werkzeugMethod(stored.slice(0, first));
  const salt = stored.slice(first + 1, second);
  const hex = stored.slice(second + 1);
  if (!method || salt === '' || !/^(?:[0-9a-f]{2})+$/.test(hex)) return null;
  return { method, salt: Buffer.from(salt, 'utf8'), digest: Buffer.from(hex, 'hex') };
}

/** Constant-time check of `password` against a parsed Werkzeug hash. */
export async function verifyWerkzeugHash(password: string, hash: WerkzeugHash): Promise<boolean> {
  const key = await hash.method.derive(Buffer.from(password, 'utf8'), hash.salt);
  return key.length === hash.digest.length && timingSafeEqual(key, hash.digest);
}

/** The same work as checking a hash made with `method`, for equal timing whoever signs in. */
export async function werkzeugDummyWork(password: string, method: WerkzeugMethod): Promise<void> {
  await method.derive(Buffer.from(password, 'utf8'), randomBytes(16));
}
