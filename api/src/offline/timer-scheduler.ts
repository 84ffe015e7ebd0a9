import type { Logger } from '../app/logger.js';
import type { Sweep, SweepScheduler } from './sweep-scheduler.js';

export interface TimerSweepSchedulerOptions {
  /** Interval between the starts of two runs, in milliseconds. */
  everyMs: number;
  sweep: Sweep;
  log: Logger;
  /** Names the job in log lines. @default 'offline sweep' */
  label?: string;
}

/**
 * In-process scheduler for a single api instance (no Redis). The first run is
 * one interval after `start()`, so a crash-looping process does not sweep on
 * every boot. Runs keep a fixed rate but never overlap: a run that outlasts the
 * interval delays the next one until it has finished.
 */
export class TimerSweepScheduler implements SweepScheduler {
  private readonly everyMs: number;
  private readonly sweep: Sweep;
  private readonly log: Logger;
  private readonly label: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private started = false;

  constructor({ everyMs, sweep, log, label = 'offline sweep' }: TimerSweepSchedulerOptions) {
    if (!Number.isFinite(everyMs) || everyMs <= 0) throw new RangeError(`everyMs must be > 0, got ${everyMs}`);
    this.everyMs = everyMs;
    this.sweep = sweep;
    this.log = log;
    this.label = label;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.schedule(this.everyMs);
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.runOnce().finally(() => {
        this.running = undefined;
      });
    }, delayMs);
    // A pending sweep must not keep the process alive on its own.
    this.timer.unref();
  }

  private async runOnce(): Promise<void> {
    const startedAt = Date.now();
    try {
      await this.sweep();
    } catch (err) {
      this.log.error({ err }, `${this.label} failed`);
    }
    // Stopped meanwhile, or restarted (start() already scheduled the next run).
    if (!this.started || this.timer) return;
    // Fixed rate from the start of this run; a slow run makes the next one start at once.
    this.schedule(Math.max(0, startedAt + this.everyMs - Date.now()));
  }
}
