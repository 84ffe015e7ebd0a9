import type { AttemptCounter } from './throttle.js';

interface Window {
  count: number;
  resetAt: number;
}

/** Single-process counter. Expired windows and holds are pruned as they are touched and on a timer. */
export class MemoryAttemptCounter implements AttemptCounter {
  private readonly windows = new Map<string, Window>();
  private readonly holds = new Map<string, number>();
  private readonly pruner: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.pruner = setInterval(() => this.prune(), 60_000);
    this.pruner.unref();
  }

  take(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return Promise.resolve({ count: window.count, resetInMs: window.resetAt - now });
  }

  giveBack(key: string): Promise<void> {
    const window = this.windows.get(key);
    if (window && window.count > 0) window.count -= 1;
    return Promise.resolve();
  }

  claim(key: string, ms: number): Promise<number> {
    const left = (this.holds.get(key) ?? 0) - this.now();
    if (left > 0) return Promise.resolve(left);
    this.holds.set(key, this.now() + ms);
    return Promise.resolve(0);
  }

  hold(key: string, ms: number): Promise<void> {
    this.holds.set(key, this.now() + ms);
    return Promise.resolve();
  }

  clear(key: string): Promise<void> {
    this.holds.delete(key);
    this.windows.delete(key);
    return Promise.resolve();
  }

  close(): Promise<void> {
    clearInterval(this.pruner);
    return Promise.resolve();
  }

  private prune(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    for (const [key, until] of this.holds) if (until <= now) this.holds.delete(key);
  }
}
