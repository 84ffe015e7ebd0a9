/**
 * Tells whether this api process is overloaded, from its own event-loop lag:
 * how late a short timer fires. With the embedded broker, the broker, the
 * api's own MQTT client, ingest and HTTP share one event loop, so lag is the
 * one signal that covers them all (queued socket data shows up as lag before
 * it shows up anywhere else).
 *
 * It also remembers when it was overloaded, so that the offline sweep can tell
 * the api's own slowness from a lock's silence (see `graceMs`).
 */

export interface LoadMonitorOptions {
  /** Lag above this marks the process overloaded. */
  lagThresholdMs: number;
  /**
   * How long it stays overloaded after the last sign of it (hysteresis). Long enough that
   * shedding, once it has emptied the queues, does not stop at once and let them refill. @default 5000
   */
  holdMs?: number;
  /** Sampling period. @default 50 */
  sampleMs?: number;
  /** How far back overload periods are remembered (at least OFFLINE_AFTER_MS). @default 300000 */
  rememberMs?: number;
  now?: () => number;
}

export interface LoadSnapshot {
  overloaded: boolean;
  /** Lag of the latest sample. */
  lagMs: number;
  /** Largest lag seen since the previous snapshot (then reset). */
  maxLagMs: number;
  /** Total time spent overloaded since start. */
  overloadedMsTotal: number;
}

interface Period {
  from: number;
  to: number;
}

export class LoadMonitor {
  private readonly holdMs: number;
  private readonly sampleMs: number;
  private readonly rememberMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private lastLag = 0;
  private maxLag = 0;
  /** Closed overload periods, oldest first, plus the open one (to = +Infinity). */
  private periods: Period[] = [];
  private overloadUntil = -Infinity;
  /** Overloaded time of periods already trimmed from `periods`. */
  private closedTotal = 0;
  /** The state listeners were last told. */
  private reported = false;
  private readonly listeners: ((overloaded: boolean) => void)[] = [];

  constructor(private readonly options: LoadMonitorOptions) {
    this.holdMs = options.holdMs ?? 5000;
    this.sampleMs = options.sampleMs ?? 50;
    this.rememberMs = options.rememberMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    const tick = (expectedAt: number) => {
      this.timer = setTimeout(() => {
        const at = this.now();
        this.record(Math.max(0, at - expectedAt));
        tick(at + this.sampleMs);
      }, this.sampleMs);
      // Never keeps the process alive on its own.
      this.timer.unref();
    };
    tick(this.now() + this.sampleMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Records one lag sample; public so tests can drive the monitor without a busy loop. */
  record(lagMs: number): void {
    const at = this.now();
    this.lastLag = lagMs;
    this.maxLag = Math.max(this.maxLag, lagMs);
    const was = this.reported;
    if (lagMs > this.options.lagThresholdMs) {
      // The loop was already stuck for lagMs before this sample: count that time too.
      if (!this.isOverloaded(at)) this.periods.push({ from: at - lagMs, to: Infinity });
      this.overloadUntil = at + this.holdMs;
    }
    this.reported = this.isOverloaded(at);
    if (was !== this.reported) for (const listener of this.listeners) listener(this.reported);
    this.trim(at);
  }

  /**
   * Another part saw the process fall behind (e.g. the embedded broker read a
   * big backlog from one socket): overloaded from now, for holdMs.
   */
  markBehind(): void {
    const at = this.now();
    const was = this.reported;
    if (!this.isOverloaded(at)) this.periods.push({ from: at, to: Infinity });
    this.overloadUntil = Math.max(this.overloadUntil, at + this.holdMs);
    this.reported = true;
    if (!was) for (const listener of this.listeners) listener(true);
  }

  overloaded(): boolean {
    return this.isOverloaded(this.now());
  }

  onChange(listener: (overloaded: boolean) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Milliseconds this process was overloaded within the last `windowMs`. The
   * offline sweep adds it to a lock's deadline: time the api could not listen
   * is not evidence that the lock was silent.
   */
  graceMs(windowMs: number): number {
    const at = this.now();
    this.isOverloaded(at); // closes an expired open period
    const since = at - windowMs;
    let total = 0;
    for (const { from, to } of this.periods) {
      const end = Math.min(to, at);
      const start = Math.max(from, since);
      if (end > start) total += end - start;
    }
    return total;
  }

  snapshot(): LoadSnapshot {
    const at = this.now();
    const snapshot = { overloaded: this.isOverloaded(at), lagMs: this.lastLag, maxLagMs: this.maxLag, overloadedMsTotal: this.total(at) };
    this.maxLag = this.lastLag;
    return snapshot;
  }

  /** Total time spent overloaded since start. */
  overloadedMsTotal(): number {
    const at = this.now();
    this.isOverloaded(at);
    return this.total(at);
  }

  /** Lag of the latest sample. */
  get lagMs(): number {
    return this.lastLag;
  }

  private total(at: number): number {
    return this.closedTotal + this.periods.reduce((sum, p) => sum + Math.min(p.to, at) - p.from, 0);
  }

  private isOverloaded(at: number): boolean {
    const open = this.periods.at(-1);
    if (open && open.to === Infinity && at >= this.overloadUntil) open.to = this.overloadUntil;
    return at < this.overloadUntil;
  }

  private trim(at: number): void {
    while (this.periods.length > 0 && (this.periods[0]?.to ?? Infinity) < at - this.rememberMs) {
      const old = this.periods.shift();
      if (old) this.closedTotal += old.to - old.from;
    }
  }
}
