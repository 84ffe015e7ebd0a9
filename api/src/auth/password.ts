/**
 * Password hashing with scrypt (OWASP: N=2^17, r=8, p=1 by default). The hash
 * string carries its own parameters, so SCRYPT_COST can change without
 * invalidating stored hashes.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { parseWerkzeugHash, verifyWerkzeugHash, werkzeugDummyWork, werkzeugMethod } from './werkzeug-hash.js';

/** The kinds of work stored hashes ask for: our scrypt costs, and Werkzeug methods (migrated users). */
export interface StoredWork {
  costs: Iterable<number>;
  werkzeugMethods?: Iterable<string>;
}

const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
/** Stored costs outside this range are not ours (and would take absurd time or memory). */
const MIN_LOG_N = 10;
const MAX_LOG_N = 22;

function scryptKey(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
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
  /** `onDerive` hears the cost of every derivation (metrics; tests compare the work of two paths). */
  constructor(
    private readonly logN: number,
    private readonly onDerive: (logN: number) => void = () => undefined,
  ) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await this.derive(password, salt, this.logN);
    return `scrypt$${this.logN}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  /** The cost (log2 N) a stored hash was made with, or null if it is not one of ours. */
  costOf(stored: string): number | null {
    const [scheme, logNText] = stored.split('$');
    const logN = Number(logNText);
    return scheme === 'scrypt' && Number.isInteger(logN) && logN >= MIN_LOG_N && logN <= MAX_LOG_N ? logN : null;
  }

  /** The canonical Werkzeug method of a hash the Flask system wrote (werkzeug-hash.ts), or null. */
  werkzeugMethodOf(stored: string): string | null {
    return parseWerkzeugHash(stored)?.method.name ?? null;
  }

  /**
   * True when a stored hash was made at another cost than the current one, or by Werkzeug
   * (re-hash after a sign-in).
   */
  needsRehash(stored: string): boolean {
    return this.costOf(stored) !== this.logN;
  }

  /** Constant-time check; a malformed stored hash never matches. */
  async verify(password: string, stored: string): Promise<boolean> {
    const werkzeug = parseWerkzeugHash(stored);
    if (werkzeug) return verifyWerkzeugHash(password, werkzeug);
    const logN = this.costOf(stored);
    const [, , saltText, keyText] = stored.split('$');
    if (logN === null || !saltText || !keyText) return false;
    const expected = Buffer.from(keyText, 'base64');
    if (expected.length !== KEY_LENGTH) return false;
    const key = await this.derive(password, Buffer.from(saltText, 'base64'), logN);
    return timingSafeEqual(key, expected);
  }

  /**
   * Checks `password` against `stored` (null: no such user) doing the same work whatever the
   * user: one derivation at each of `work.costs` and the current cost, in ascending order, then
   * one for each Werkzeug method still stored, the one matching the stored hash being the real
   * check. So an unknown user, a user hashed at an old cost, one at the current cost and one
   * migrated from the Flask system cannot be told apart by the time a failure takes.
   */
  async verifyWithEqualWork(password: string, stored: string | null, work: StoredWork): Promise<boolean> {
    const storedCost = stored === null ? null : this.costOf(stored);
    const storedMethod = stored === null ? null : this.werkzeugMethodOf(stored);
    const costs = new Set([...work.costs, this.logN, ...(storedCost === null ? [] : [storedCost])]);
    const methods = new Set([...(work.werkzeugMethods ?? []), ...(storedMethod === null ? [] : [storedMethod])]);
    let ok = false;
    for (const logN of [...costs].sort((a, b) => a - b)) {
      if (logN === storedCost && stored !== null) ok = await this.verify(password, stored);
      else await this.derive(password, randomBytes(16), logN);
    }
    for (const name of [...methods].sort()) {
      const method = werkzeugMethod(name);
      if (name === storedMethod && stored !== null) ok = await this.verify(password, stored);
      else if (method) await werkzeugDummyWork(password, method);
    }
    return ok;
  }

  private derive(password: string, salt: Buffer, logN: number): Promise<Buffer> {
    this.onDerive(logN);
    return scryptKey(password, salt, options(logN));
  }
}
