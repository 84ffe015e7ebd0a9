/**
 * Password hashing with scrypt (OWASP: N=2^17, r=8, p=1 by default). The hash
 * string carries its own parameters, so SCRYPT_COST can change without
 * invalidating stored hashes.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function options(logN: number): ScryptOptions {
  const N = 2 ** logN;
  // scrypt needs 128 * N * r bytes; allow that plus headroom.
  return { N, r: BLOCK_SIZE, p: PARALLELISM, maxmem: 256 * N * BLOCK_SIZE };
}

export class PasswordHasher {
  constructor(private readonly logN: number) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, options(this.logN));
    return `scrypt$${this.logN}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  /** Constant-time check; a malformed stored hash never matches. */
  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, logNText, saltText, keyText] = stored.split('$');
    const logN = Number(logNText);
    if (scheme !== 'scrypt' || !Number.isInteger(logN) || logN < 10 || logN > 22 || !saltText || !keyText) return false;
    const expected = Buffer.from(keyText, 'base64');
    if (expected.length !== KEY_LENGTH) return false;
    const key = await derive(password, Buffer.from(saltText, 'base64'), options(logN));
    return timingSafeEqual(key, expected);
  }

  /**
   * Burns the same time as a real check, so "no such user" and "wrong
   * password" cannot be told apart by timing.
   */
  async burn(password: string): Promise<void> {
    await derive(password, randomBytes(16), options(this.logN));
  }
}
