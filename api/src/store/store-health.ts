/**
 * Whether the store takes writes, for readiness. A failed write marks it
 * failing; the next successful write clears that. While failing, readiness
 * commits a probe write (cheap, and only then), so an instance that gets no
 * traffic because it is unready still notices when space comes back.
 */
import type { StorageFailureError } from './errors.js';
import type { StoreObserver } from './guarded-store.js';
import type { Store } from './ports.js';

export class StoreHealth implements StoreObserver {
  private lastFailure: StorageFailureError | null = null;

  /** @param countFailure called for each failed write, with the repository method's name (the metric) */
  constructor(private readonly countFailure: (operation: string) => void = () => undefined) {}

  writeFailed(operation: string, error: StorageFailureError): void {
    this.lastFailure = error;
    this.countFailure(operation);
  }

  writeSucceeded(): void {
    this.lastFailure = null;
  }

  get failing(): boolean {
    return this.lastFailure !== null;
  }

  /** The readiness check: throws while the store cannot be read, or cannot be written after a write failed. */
  async check(store: Store): Promise<void> {
    await store.ping();
    if (this.lastFailure === null) return;
    // Clears the failure through writeSucceeded, or throws (and counts) if writes still fail.
    await store.probeWrite();
  }
}
