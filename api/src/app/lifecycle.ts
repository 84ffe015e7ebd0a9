import type { Logger } from './logger.js';

/** Long-running parts register how to stop; `stopAll` runs them in reverse order of start. */
export class Lifecycle {
  private readonly stoppers: { name: string; stop: () => Promise<void> }[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly log: Logger) {}

  add(name: string, stop: () => Promise<void>): void {
    this.stoppers.push({ name, stop });
  }

  /**
   * Idempotent: a second caller (a second signal, a test's cleanup after a
   * failed start) waits for the first stop instead of stopping parts twice,
   * which some parts (Apollo's stop) never return from.
   */
  stopAll(): Promise<void> {
    this.stopping ??= this.stopInOrder();
    return this.stopping;
  }

  private async stopInOrder(): Promise<void> {
    while (this.stoppers.length > 0) {
      const part = this.stoppers.pop();
      if (!part) break;
      try {
        await part.stop();
        this.log.debug({ part: part.name }, 'stopped');
      } catch (error) {
        this.log.error({ err: error, part: part.name }, 'failed to stop cleanly');
      }
    }
  }
}
