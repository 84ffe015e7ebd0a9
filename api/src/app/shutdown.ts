/**
 * The one shutdown path of a process: the first SIGTERM or SIGINT runs `stop`
 * once and exits 0 when it is done, or 1 when it fails or takes longer than
 * `timeoutMs`. Docker and systemd send SIGTERM, a terminal Ctrl-C sends SIGINT.
 */
import type { Logger } from './logger.js';

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
export type ShutdownSignal = (typeof SHUTDOWN_SIGNALS)[number];

/** What `exitOnSignals` listens on; `process` in production, an EventEmitter in tests. */
export interface SignalSource {
  on(signal: ShutdownSignal, listener: () => void): unknown;
}

export interface ShutdownOptions {
  /** Stops every part (e.g. `RunningApp.stop`). Called at most once. */
  stop: () => Promise<void>;
  /** SHUTDOWN_TIMEOUT_MS. */
  timeoutMs: number;
  log: Logger;
  /** @default process */
  signals?: SignalSource;
  /** @default process.exit */
  exit?: (code: number) => void;
}

/**
 * Installs the handlers. A second signal during shutdown is logged and ignored:
 * it must not start a second stop (parts such as Apollo's never return from a
 * second one), and the timeout already bounds how long the first may take.
 */
export function exitOnSignals(options: ShutdownOptions): void {
  const { stop, timeoutMs, log } = options;
  const signals = options.signals ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;

  const shutdown = (signal: ShutdownSignal): void => {
    if (stopping) {
      log.warn({ signal }, 'shutdown already in progress; signal ignored');
      return;
    }
    stopping = true;
    log.info({ signal, timeoutMs }, 'shutting down');
    const startedAt = Date.now();
    // Not unref'd: if a part hangs with nothing else left in the event loop, this
    // timer is what still ends the process with a non-zero code.
    const deadline = setTimeout(() => {
      log.error({ timeoutMs }, `shutdown did not finish within SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms); exiting with 1`);
      exit(1);
    }, timeoutMs);
    stop().then(
      () => {
        clearTimeout(deadline);
        log.info({ ms: Date.now() - startedAt }, 'shut down cleanly');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        log.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };

  for (const signal of SHUTDOWN_SIGNALS) signals.on(signal, () => shutdown(signal));
}
