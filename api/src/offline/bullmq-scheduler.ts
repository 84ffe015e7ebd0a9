import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../app/logger.js';
import type { Sweep, SweepScheduler } from './sweep-scheduler.js';

/** One scheduler id per queue: every replica upserts the same one, so Redis holds a single schedule. */
export const SWEEP_SCHEDULER_ID = 'offline-sweep';
const JOB_NAME = 'sweep';

export interface BullmqSweepSchedulerOptions {
  redisUrl: string;
  /** BullMQ key prefix (tests use a random one). */
  prefix: string;
  queueName: string;
  /** Interval between two sweeps across all replicas, in milliseconds. */
  everyMs: number;
  sweep: Sweep;
  log: Logger;
  /**
   * How often each replica checks that the job scheduler still exists in Redis
   * and is not stalled, re-registering it if not (a flush without a reconnect).
   * @default max(10 × everyMs, 30 000)
   */
  ensureEveryMs?: number;
  /** Names the job in log lines. @default 'offline sweep' */
  label?: string;
}

/**
 * Runs the sweep once per interval across all api replicas sharing one Redis.
 *
 * Every replica upserts the same BullMQ job scheduler and runs a concurrency-1
 * worker; the scheduler produces one job per interval (deterministic job ids
 * `repeat:<id>:<millis>`) and exactly one worker takes it.
 *
 * Redis keeps nothing on disk, so the schedule can vanish (restart, flush).
 * It is re-registered (a) at every `start()`, which also applies a changed
 * interval (the last replica to boot wins), (b) whenever the Queue connection
 * becomes ready again after a reconnect, and (c) by a periodic check every
 * `ensureEveryMs` that catches a flush without a reconnect or a schedule whose
 * next job was lost. (b) and (c) only upsert when the scheduler is missing or
 * stalled, so replicas do not keep rewriting each other's schedule.
 */
export class BullmqSweepScheduler implements SweepScheduler {
  private readonly opts: Required<BullmqSweepSchedulerOptions>;
  private connection: Redis | undefined;
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private ensuring: Promise<void> | undefined;
  /** The sweep this worker is running, if any (concurrency 1), so that `stop()` can wait for it. */
  private running: Promise<void> | undefined;
  private readonly lastLogged = new Map<string, number>();

  constructor(options: BullmqSweepSchedulerOptions) {
    const { everyMs } = options;
    if (!Number.isInteger(everyMs) || everyMs <= 0) throw new RangeError(`everyMs must be a positive integer, got ${everyMs}`);
    this.opts = { ensureEveryMs: Math.max(10 * everyMs, 30_000), label: 'offline sweep', ...options };
  }

  async start(): Promise<void> {
    if (this.connection) return;
    const { redisUrl, prefix, queueName } = this.opts;
    // BullMQ refuses connections that fail commands during an outage (maxRetriesPerRequest must be null);
    // lazyConnect lets start() fail fast when Redis is absent at boot.
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    this.connection = connection;
    connection.on('error', (err: Error) => this.warnThrottled('redis connection error', err));
    // 'ready' fires again after every reconnect: the keys may be gone (restart of a diskless Redis).
    connection.on('ready', () => this.ensureInBackground('redis ready'));
    try {
      await connection.connect();
      this.queue = new Queue(queueName, { connection, prefix });
      this.queue.on('error', (err: Error) => this.warnThrottled('sweep queue error', err));
      await this.upsert();
      // Given a client instance, a BullMQ 6 Worker duplicates it for its own normal
      // and blocking connections, which it owns and closes: it never shares the Queue's socket.
      this.worker = new Worker(queueName, (job: Job) => this.process(job), { connection, prefix, concurrency: 1 });
      this.worker.on('error', (err: Error) => this.warnThrottled('sweep worker error', err));
      await this.worker.waitUntilReady();
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.watchdog = setInterval(() => this.ensureInBackground('periodic check'), this.opts.ensureEveryMs);
    this.watchdog.unref();
  }

  /**
   * Closes the worker (waiting for a sweep in progress), the queue and the
   * connection. The job scheduler stays in Redis for the other replicas.
   */
  async stop(): Promise<void> {
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    const { worker, queue, connection } = this;
    this.worker = undefined;
    this.queue = undefined;
    this.connection = undefined;
    // Wait for our own sweep in progress, then close without waiting on BullMQ's fetch loop: after a
    // Redis restart its blocking connection can stay parked in a reconnect, and a graceful close
    // then never returns (seen about once in six stops). A job fetched meanwhile is not lost: its
    // lock expires and BullMQ's stalled-job check hands it to another worker.
    await this.running;
    await worker?.close(true);
    await this.ensuring;
    await queue?.close();
    if (connection) {
      connection.removeAllListeners('ready');
      await connection.quit().catch(() => connection.disconnect());
    }
  }

  private process(job: Job): Promise<void> {
    const run = this.runSweep(job);
    this.running = run.catch(() => undefined);
    return run;
  }

  private async runSweep(job: Job): Promise<void> {
    const startedAt = Date.now();
    try {
      await this.opts.sweep();
      this.opts.log.debug({ jobId: job.id, ms: Date.now() - startedAt }, `${this.opts.label} done`);
    } catch (err) {
      this.opts.log.error({ err, jobId: job.id }, `${this.opts.label} failed`);
      // Recorded as a failed job (kept: removeOnFail 100); attempts 1 means no retry,
      // since the next interval's sweep redoes the whole work anyway.
      throw err;
    }
  }

  private async upsert(): Promise<void> {
    await this.queue?.upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { every: this.opts.everyMs },
      { name: JOB_NAME, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
    );
  }

  /** Re-registers the scheduler if it is missing or its next job is long overdue. */
  private async ensure(reason: string): Promise<void> {
    const queue = this.queue;
    if (!queue) return;
    const current = await queue.getJobScheduler(SWEEP_SCHEDULER_ID);
    // Overdue beyond a slow sweep's worth: the worker failed to add the next job.
    const overdueMs = current?.next === undefined ? 0 : Date.now() - current.next;
    const stalled = overdueMs > 2 * this.opts.everyMs + this.opts.ensureEveryMs;
    if (current && !stalled) return;
    this.opts.log.warn({ reason, missing: !current, overdueMs }, `${this.opts.label} scheduler lost; re-registering it`);
    // An upsert with an unchanged interval keeps the pending job's time, so a
    // concurrent re-registration by another replica cannot produce a second run.
    await this.upsert();
  }

  /** Runs one check at a time: during an outage commands queue up rather than fail. */
  private ensureInBackground(reason: string): void {
    if (this.ensuring || !this.queue) return;
    this.ensuring = this.ensure(reason)
      .catch((err: unknown) => this.warnThrottled(`could not check the ${this.opts.label} scheduler`, err))
      .finally(() => {
        this.ensuring = undefined;
      });
  }

  /** ioredis reports every failed reconnect attempt; log each distinct error once a minute. */
  private warnThrottled(msg: string, err: unknown): void {
    const key = `${msg}: ${err instanceof Error ? err.message : String(err)}`;
    const now = Date.now();
    if (now - (this.lastLogged.get(key) ?? -Infinity) < 60_000) return;
    this.lastLogged.set(key, now);
    this.opts.log.warn({ err }, msg);
  }
}
