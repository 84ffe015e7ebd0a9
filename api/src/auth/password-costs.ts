import type { PasswordHasher } from './password.js';

/**
 * The scrypt costs stored hashes were made with, so a sign-in can do one derivation at each
 * (see PasswordHasher.verifyWithEqualWork). Loaded from the store once, then grown as hashes are
 * written or met; it never shrinks while the process runs, which only costs extra uniform work
 * until the next restart after every old hash has been re-hashed.
 */
export class PasswordCosts {
  private loaded: Promise<Set<number>> | undefined;

  constructor(
    private readonly hasher: PasswordHasher,
    private readonly storedHashes: () => Promise<string[]>,
  ) {}

  all(): Promise<ReadonlySet<number>> {
    return this.costs();
  }

  /** A hash at `stored`'s cost exists (just written, or met at sign-in). */
  async note(stored: string): Promise<void> {
    const cost = this.hasher.costOf(stored);
    if (cost !== null) (await this.costs()).add(cost);
  }

  private async costs(): Promise<Set<number>> {
    this.loaded ??= this.load();
    try {
      return await this.loaded;
    } catch (error) {
      this.loaded = undefined; // the store was away: try again next time
      throw error;
    }
  }

  private async load(): Promise<Set<number>> {
    const costs = new Set<number>();
    for (const hash of await this.storedHashes()) {
      const cost = this.hasher.costOf(hash);
      if (cost !== null) costs.add(cost);
    }
    return costs;
  }
}
