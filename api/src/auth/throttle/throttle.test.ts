import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAttemptCounter } from './memory-counter.js';
import { RedisAttemptCounter } from './redis-counter.js';
import { delayAfterFailure, SignInThrottle, type AttemptCounter, type ThrottleLimits } from './throttle.js';

const limits: ThrottleLimits = {
  freeFailures: 2,
  maxDelayMs: 3_600_000,
  accountMaxFailures: 10,
  accountWindowMs: 3_600_000,
  addressMaxFailures: 5,
  addressWindowMs: 600_000,
};

/** One sign-in with a wrong password: 'failed', or 'held <seconds>' if it was refused. */
async function fail(throttle: SignInThrottle, account: string, address: string) {
  const verdict = await throttle.attempt(account, address);
  if (!verdict.allowed) return `held ${verdict.retryAfterSeconds}`;
  await verdict.failed();
  return 'failed';
}

async function succeed(throttle: SignInThrottle, account: string, address: string) {
  const verdict = await throttle.attempt(account, address);
  if (!verdict.allowed) return `held ${verdict.retryAfterSeconds}`;
  await verdict.succeeded();
  return 'ok';
}

function behaves(name: string, makeCounter: () => AttemptCounter) {
  describe(name, () => {
    it('lets an address fail its free failures on an account, then holds it', async () => {
      const throttle = new SignInThrottle(makeCounter(), limits);
      const account = `a-${randomUUID()}`;
      expect([await fail(throttle, account, 'ip'), await fail(throttle, account, 'ip'), await fail(throttle, account, 'ip')]).toEqual(['failed', 'failed', 'failed']);
      expect(await succeed(throttle, account, 'ip')).toBe('held 1');
      expect(await succeed(throttle, account, 'elsewhere')).toBe('ok');
    });

    it('never holds an address that has not failed, even on an account under attack; failing ones wait the longest', async () => {
      const throttle = new SignInThrottle(makeCounter(), limits);
      const account = `u-${randomUUID()}`;
      for (let i = 0; i < 20; i++) expect(await fail(throttle, account, `bot-${i}`)).toBe('failed');
      expect(await fail(throttle, account, 'bot-0')).toBe('failed');
      expect(await fail(throttle, account, 'bot-0')).toBe('failed');
      expect(await fail(throttle, account, 'bot-0')).toBe('held 3600');
      expect(await succeed(throttle, account, 'owner-home')).toBe('ok');
    });

    it('has one attempt per address and account in flight: parallel guesses cannot race past a delay', async () => {
      const throttle = new SignInThrottle(makeCounter(), limits);
      const account = `p-${randomUUID()}`;
      const verdicts = await Promise.all(Array.from({ length: 10 }, () => throttle.attempt(account, 'ip')));
      expect(verdicts.filter((v) => v.allowed)).toHaveLength(1);
    });

    it('forgets an address\'s failures on an account once it signs in', async () => {
      const throttle = new SignInThrottle(makeCounter(), { ...limits, addressMaxFailures: 100 });
      const account = `s-${randomUUID()}`;
      for (let round = 0; round < 3; round++) {
        expect(await fail(throttle, account, 'ip')).toBe('failed');
        expect(await fail(throttle, account, 'ip')).toBe('failed');
        expect(await succeed(throttle, account, 'ip')).toBe('ok');
      }
    });

    it('stops one address failing across many accounts', async () => {
      const throttle = new SignInThrottle(makeCounter(), limits);
      const address = `ip-${randomUUID()}`;
      for (let i = 0; i < 5; i++) expect(await fail(throttle, `acct-${i}-${address}`, address)).toBe('failed');
      expect(await fail(throttle, `another-${address}`, address)).toMatch(/^held (599|600)$/);
    });
  });
}

behaves('in-memory sign-in throttle', () => new MemoryAttemptCounter());

describe('sign-in delays (injected clock)', () => {
  it('double with each failure past the free ones, up to the maximum, and pass with time', async () => {
    let now = 1_000_000;
    const counter = new MemoryAttemptCounter(() => now);
    const throttle = new SignInThrottle(counter, { ...limits, maxDelayMs: 10_000, accountMaxFailures: 1000, addressMaxFailures: 1000 });
    await fail(throttle, 'bob', 'ip');
    await fail(throttle, 'bob', 'ip');
    const waits: string[] = [];
    for (let i = 0; i < 6; i++) {
      expect(await fail(throttle, 'bob', 'ip')).toBe('failed');
      waits.push(await fail(throttle, 'bob', 'ip'));
      now += 60_000;
    }
    expect(waits).toEqual(['held 1', 'held 2', 'held 4', 'held 8', 'held 10', 'held 10']);
    await counter.close();
  });

  it('are the maximum at once while the account is under attack', () => {
    expect(delayAfterFailure(2, 500, limits)).toBe(0);
    expect(delayAfterFailure(3, 9, limits)).toBe(1000);
    expect(delayAfterFailure(3, 10, limits)).toBe(3_600_000);
    expect(delayAfterFailure(1000, 0, limits)).toBe(3_600_000);
  });
});

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let redis: Redis | undefined;
let redisError: string | undefined;
const prefix = `test-${randomUUID()}:`;

beforeAll(async () => {
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await client.connect();
    redis = client;
  } catch (error) {
    redisError = (error as Error).message;
    client.disconnect();
    if (process.env.CI === 'true') throw new Error(`Redis is required in CI at ${redisUrl}: ${redisError}`, { cause: error });
  }
});

afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('Redis sign-in throttle (real Redis, random key prefix)', () => {
  it('behaves like the in-memory one', async (ctx) => {
    if (!redis) return ctx.skip(`no Redis at ${redisUrl}: ${redisError}`);
    const client = redis;
    const suite = new SignInThrottle(new RedisAttemptCounter(client, prefix), limits);
    // The shared cases above, run against Redis.
    const account = `r-${randomUUID()}`;
    for (let i = 0; i < 20; i++) expect(await fail(suite, account, `bot-${i}`)).toBe('failed');
    expect([await fail(suite, account, 'bot-0'), await fail(suite, account, 'bot-0'), await fail(suite, account, 'bot-0')]).toEqual(['failed', 'failed', 'held 3600']);
    expect(await succeed(suite, account, 'owner-home')).toBe('ok');
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => suite.attempt(`par-${account}`, 'ip')));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(1);
  });

  it('shares failures and delays between api replicas', async (ctx) => {
    if (!redis) return ctx.skip(`no Redis at ${redisUrl}: ${redisError}`);
    const replicaA = new SignInThrottle(new RedisAttemptCounter(redis, prefix), limits);
    const replicaB = new SignInThrottle(new RedisAttemptCounter(redis, prefix), limits);
    expect(await fail(replicaA, 'carol', 'ip1')).toBe('failed');
    expect(await fail(replicaB, 'carol', 'ip1')).toBe('failed');
    expect(await fail(replicaA, 'carol', 'ip1')).toBe('failed');
    const holdMs = await redis.pttl(`${prefix}signin:hold:carol:ip1`);
    expect(holdMs).toBeGreaterThan(0);
    expect(holdMs).toBeLessThanOrEqual(1000);
    expect(await fail(replicaB, 'carol', 'ip1')).toBe('held 1');
    // Time passing, without sleeping: the hold expires.
    await redis.del(`${prefix}signin:hold:carol:ip1`);
    expect(await fail(replicaB, 'carol', 'ip1')).toBe('failed');
    const nextHoldMs = await redis.pttl(`${prefix}signin:hold:carol:ip1`);
    expect(nextHoldMs).toBeGreaterThan(1000);
    expect(nextHoldMs).toBeLessThanOrEqual(2000);
  });
});
