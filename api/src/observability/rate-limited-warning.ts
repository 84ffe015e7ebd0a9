import type { Logger } from '../app/logger.js';

/**
 * A warning that repeats during an outage (one per failed publish, say) is logged at most once per
 * `everyMs`; the next line says how many were left out, so the log shows the size of the problem
 * without being flooded by it.
 */
export class RateLimitedWarning {
  private lastAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly log: Logger,
    private readonly message: string,
    private readonly everyMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(fields: Record<string, unknown>): void {
    const now = this.now();
    if (now - this.lastAt < this.everyMs) {
      this.suppressed += 1;
      return;
    }
    this.log.warn({ ...fields, suppressed: this.suppressed }, this.message);
    this.lastAt = now;
    this.suppressed = 0;
  }
}
