import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type TestContext } from 'vitest';
import { BullmqSweepScheduler, type BullmqSweepSchedulerOptions } from './bullmq-scheduler.js';
import { TimerSweepScheduler } from './timer-scheduler.js';
import { freePort } from '../test-support/free-port.js';

/** A pino logger that keeps its lines for assertions. */
function captureLog() {
  const lines: string[] = [];
  return { lines, log: pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) }) };
}

describe('TimerSweepScheduler (fake timers)', () => {
  afterEach(() => void vi.useRealTimers());

  it('runs the sweep once per interval', async () => {
    vi.useFakeTimers();
    const sweep = vi.fn(async () => {});
    const scheduler = new TimerSweepScheduler({ everyMs: 1000, sweep, log: captureLog().log });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(sweep).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2001);
    expect(sweep).toHaveBeenCalledTimes(3);
    await scheduler.stop();
  });

  it('never overlaps a sweep that outlasts the interval', async () => {
    vi.useFakeTimers();
    let active = 0;
    let maxActive = 0;
    const sweep = vi.fn(async () => {
      maxActive = Math.max(maxActive, ++active);
      await new Promise((resolve) => setTimeout(resolve, 250));
      active--;
    });
    const scheduler = new TimerSweepScheduler({ everyMs: 100, sweep, log: captureLog().log });
    await scheduler.start();
    // Runs start at ~100, 350, 600, 850 and 1100 ms, each as soon as the previous one
    // ends (plus the 1 ms that setTimeout(0) really waits).
    await vi.advanceTimersByTimeAsync(1110);
    expect(maxActive).toBe(1);
    expect(sweep).toHaveBeenCalledTimes(5);
    // The fifth run is still in progress: stop() waits for it.
    const stopping = scheduler.stop();
    await vi.advanceTimersByTimeAsync(250);
    await stopping;
  });

  it('logs a failed sweep and keeps going', async () => {
    vi.useFakeTimers();
    const sweep = vi.fn(async () => {}).mockRejectedValueOnce(new Error('store down'));
    const { lines, log } = captureLog();
    const scheduler = new TimerSweepScheduler({ everyMs: 1000, sweep, log });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(sweep).toHaveBeenCalledTimes(3);
    expect(lines.filter((line) => line.includes('offline sweep failed') && line.includes('store down'))).toHaveLength(1);
    await scheduler.stop();
  });

  it('stops after the sweep in progress and leaves no timer behind', async () => {
    vi.useFakeTimers();
    let finished = false;
    const sweep = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      finished = true;
    });
    const scheduler = new TimerSweepScheduler({ everyMs: 1000, sweep, log: captureLog().log });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    let stopped = false;
    const stopping = scheduler.stop().then(() => void (stopped = true));
    await vi.advanceTimersByTimeAsync(499);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(finished).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sweep).toHaveBeenCalledTimes(1);
  });
});

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const inCi = process.env.CI === 'true';
let admin: Redis | undefined;
let adminError = '';
const prefixes: string[] = [];

/** Polls until `check` holds; the timeout bounds the wait, it is not the assertion. */
async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A sweep that records when it ran and takes a little time, like the real one. */
function recordingSweep(runs: number[]) {
  return async () => {
    runs.push(Date.now());
    await new Promise((resolve) => setTimeout(resolve, 10));
  };
}

function gaps(runs: number[]): number[] {
  return [...runs].sort((a, b) => a - b).flatMap((t, i, all) => (i === 0 ? [] : [t - (all[i - 1] ?? t)]));
}

function span(runs: number[]): number {
  return Math.max(...runs) - Math.min(...runs);
}

const started: BullmqSweepScheduler[] = [];
function scheduler(options: Omit<BullmqSweepSchedulerOptions, 'log'>): BullmqSweepScheduler {
  const s = new BullmqSweepScheduler({ log: captureLog().log, ...options });
  started.push(s);
  return s;
}

function namespace() {
  const prefix = `test-${randomUUID()}`;
  prefixes.push(prefix);
  return { prefix, queueName: `sweep-${randomUUID()}` };
}

function needRedis(ctx: TestContext): Redis {
  if (admin) return admin;
  return ctx.skip(`no Redis at ${redisUrl}: ${adminError}`);
}

async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
}

beforeAll(async () => {
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  // Keep the first connection error for the skip message instead of an unhandled 'error' event.
  client.once('error', (error: Error) => void (adminError = error.message));
  try {
    await client.connect();
    admin = client;
  } catch (error) {
    adminError ||= (error as Error).message;
    client.disconnect();
    if (inCi) throw new Error(`Redis is required in CI at ${redisUrl}: ${adminError}`, { cause: error });
  }
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  if (!admin) return;
  for (const prefix of prefixes) await deleteByPrefix(admin, prefix);
  await admin.quit();
});

describe('BullmqSweepScheduler (real Redis, random prefix)', () => {
  it('runs the sweep repeatedly at about the interval', async (ctx) => {
    needRedis(ctx);
    const runs: number[] = [];
    await scheduler({ redisUrl, ...namespace(), everyMs: 200, sweep: recordingSweep(runs) }).start();
    await waitFor('5 sweeps', () => runs.length >= 5);
    // On a loaded machine one run may start ~100 ms late and the next on time,
    // so single gaps are checked loosely and the rate over all of them.
    for (const gap of gaps(runs)) expect(gap).toBeGreaterThan(50);
    expect(span(runs)).toBeGreaterThan(4 * 150);
  });

  it('runs once per interval in total across two replicas', async (ctx) => {
    needRedis(ctx);
    const ns = namespace();
    const runs: number[] = [];
    const replicas = [1, 2].map(() => scheduler({ redisUrl, ...ns, everyMs: 300, sweep: recordingSweep(runs) }));
    await Promise.all(replicas.map((r) => r.start()));
    await waitFor('8 sweeps', () => runs.length >= 8);
    // Once per interval takes ~7 × 300 ms for 8 runs; twice per interval would take half that.
    expect(span(runs)).toBeGreaterThan(7 * 225);
    for (const gap of gaps(runs)) expect(gap).toBeGreaterThan(150);
  });

  it('keeps one job scheduler however often replicas boot', async (ctx) => {
    const redis = needRedis(ctx);
    const ns = namespace();
    const sweep = async () => {};
    const first = scheduler({ redisUrl, ...ns, everyMs: 200, sweep });
    await first.start();
    await first.start();
    await scheduler({ redisUrl, ...ns, everyMs: 200, sweep }).start();
    const queue = new Queue(ns.queueName, { connection: redis.duplicate(), prefix: ns.prefix });
    expect(await queue.getJobSchedulers()).toHaveLength(1);
    await queue.close();
  });

  it('applies a changed interval at restart', async (ctx) => {
    const redis = needRedis(ctx);
    const ns = namespace();
    const old = scheduler({ redisUrl, ...ns, everyMs: 200, sweep: async () => {} });
    await old.start();
    await old.stop();
    await scheduler({ redisUrl, ...ns, everyMs: 60_000, sweep: async () => {} }).start();
    const queue = new Queue(ns.queueName, { connection: redis.duplicate(), prefix: ns.prefix });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.every)).toEqual([60_000]);
    await queue.close();
  });

  it('logs a failed sweep, does not retry it and keeps the schedule', async (ctx) => {
    const redis = needRedis(ctx);
    const ns = namespace();
    const runs: number[] = [];
    const record = recordingSweep(runs);
    const sweep = async () => {
      await record();
      if (runs.length === 1) throw new Error('store down');
    };
    const { lines, log } = captureLog();
    const s = new BullmqSweepScheduler({ redisUrl, ...ns, everyMs: 200, sweep, log });
    started.push(s);
    await s.start();
    await waitFor('3 sweeps', () => runs.length >= 3);
    // No immediate retry after the failure: the next run waits for its slot.
    for (const gap of gaps(runs)) expect(gap).toBeGreaterThan(50);
    expect(lines.some((line) => line.includes('offline sweep failed') && line.includes('store down'))).toBe(true);
    const queue = new Queue(ns.queueName, { connection: redis.duplicate(), prefix: ns.prefix });
    expect(await queue.getFailedCount()).toBe(1);
    await queue.close();
  });

  it('re-registers itself when its keys vanish without a reconnect', async (ctx) => {
    const redis = needRedis(ctx);
    const ns = namespace();
    const runs: number[] = [];
    await scheduler({ redisUrl, ...ns, everyMs: 200, ensureEveryMs: 300, sweep: recordingSweep(runs) }).start();
    await waitFor('a first sweep', () => runs.length >= 1);
    await deleteByPrefix(redis, ns.prefix);
    const before = runs.length;
    await waitFor('a sweep after the flush', () => runs.length > before + 1, 5_000);
  });
});

describe('BullmqSweepScheduler without Redis', () => {
  it('fails at start instead of hanging when Redis is unreachable', async () => {
    const s = scheduler({ redisUrl: 'redis://127.0.0.1:1', ...namespace(), everyMs: 200, sweep: async () => {} });
    // ioredis reports either ECONNREFUSED or "Connection is closed.", depending on timing.
    await expect(s.start()).rejects.toThrow();
  });
});

describe('BullmqSweepScheduler across a Redis restart (own redis-server)', () => {
  let port = 0;
  let server: ChildProcess | undefined;
  const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

  async function startRedis(): Promise<void> {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
    const up = async () => {
      const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => {});
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        probe.disconnect();
      }
    };
    const deadline = Date.now() + 10_000;
    while (!(await up())) {
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function killRedis(): Promise<void> {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  afterAll(killRedis);

  it('sweeps again after Redis restarts empty, without restarting the scheduler', async (ctx) => {
    if (!hasRedisServer) {
      if (inCi) throw new Error('redis-server is required in CI');
      return ctx.skip('redis-server is not installed');
    }
    port = await freePort();
    await startRedis();
    const runs: number[] = [];
    // A long periodic check: the recovery under test is the one on reconnect.
    const s = scheduler({ redisUrl: `redis://127.0.0.1:${port}`, ...namespace(), everyMs: 200, ensureEveryMs: 600_000, sweep: recordingSweep(runs) });
    await s.start();
    await waitFor('2 sweeps before the restart', () => runs.length >= 2);
    await killRedis();
    await startRedis();
    const before = runs.length;
    await waitFor('2 sweeps after the restart', () => runs.length >= before + 2, 15_000);
  });
});
