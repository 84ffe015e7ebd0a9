/**
 * The periodic sweep (offline detection plus command timeouts). Its author owns
 * its errors' meaning; a scheduler only logs them and keeps going.
 */
export type Sweep = () => Promise<void>;

/**
 * Runs a {@link Sweep} periodically. Two adapters: in-process timers for a
 * single api instance, BullMQ for several replicas sharing one Redis.
 */
export interface SweepScheduler {
  /** Starts the periodic runs; resolves once they are scheduled. */
  start(): Promise<void>;
  /** Stops scheduling and waits for a run in progress to finish. */
  stop(): Promise<void>;
}
