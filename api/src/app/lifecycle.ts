import type { Logger } from './logger.js';

/** Long-running parts register how to stop; `stopAll` runs them in reverse order of start. */
export class Lifecycle {
  private readonly stoppers: { name: string; stop: () => Promise<void> }[] = [];

  constructor(private readonly log: Logger) {}

  add(name: string, stop: () => Promise<void>): void {
    this.stoppers.push({ name, stop });
  }

  async stopAll(): Promise<void> {
    while (this.stoppers.length > 0) {
      const part = this.stoppers.pop();
      if (!part) break;
      try {
        await part.stop();
      } catch (error) {
        this.log.error({ err: error, part: part.name }, 'failed to stop cleanly');
      }
    }
  }
}
