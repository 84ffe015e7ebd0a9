/**
 * At most one report per key (a lock, a pair of locks) every `everyMs`, so a reconnect loop cannot
 * flood the log or the audit trail. Past `maxKeys` keys it forgets them all: a flood of distinct
 * keys cannot grow it, at worst a few reports repeat early.
 */
export class OncePerKey {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly everyMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /** True when `key` may be reported now; records the report. */
  take(key: string): boolean {
    const now = this.now();
    const last = this.last.get(key);
    if (last !== undefined && now - last < this.everyMs) return false;
    if (this.last.size >= this.maxKeys) this.last.clear();
    this.last.set(key, now);
    return true;
  }
}
