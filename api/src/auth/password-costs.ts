import type { PasswordHasher, StoredWork } from './password.js';

/**
 * The kinds of work stored hashes were made with (scrypt costs, and Werkzeug methods of users
 * migrated from the Flask system), so a sign-in can do one derivation of each (see
 * PasswordHasher.verifyWithEqualWork). Loaded from the store once, then grown as hashes are
 * written or met; it never shrinks while the process runs, which only costs extra uniform work
 * until the next restart after every old hash has been re-hashed.
 */
export class PasswordCosts {
  private loaded: Promise<KnownWork> | undefined;

  constructor(
    private readonly hasher: PasswordHasher,
    private readonly storedHashes: () => Promise<string[]>,
  ) {}

  async all(): Promise<StoredWork> {
    return this.work();
  }

  /** A hash like `stored` exists (just written, or met at sign-in). */
  async note(stored: string): Promise<void> {
    this.add(await this.work(), stored);
  }

  private add(work: KnownWork, stored: string): void {
    const cost = this.hasher.costOf(stored);
    if (cost !== null) work.costs.add(cost);
    const method = this.hasher.werkzeugMethodOf(stored);
    if (method !== null) work.werkzeugMethods.add(method);
  }

  private async work(): Promise<KnownWork> {
    this.loaded ??= this.load();
    try {
      return await this.loaded;
    } catch (error) {
      this.loaded = undefined; // the store was away: try again next time
      throw error;
    }
  }

  private async load(): Promise<KnownWork> {
    const work = { costs: new Set<number>(), werkzeugMethods: new Set<string>() };
    for (const hash of await this.storedHashes()) this.add(work, hash);
    return work;
  }
}

interface KnownWork {
  costs: Set<number>;
  werkzeugMethods: Set<string>;
}
