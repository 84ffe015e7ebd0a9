import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAttemptCounter } from './memory-counter.js';
import { RedisAttemptCounter } from './redis-counter.js';
import { SignInThrottle, type AttemptCounter } from './throttle.js';

const limits = { accountMaxFailures: 3, accountWindowMs: 60_000, addressMaxFailures: 5, addressWindowMs: 60_000 };

async function fail(throttle: SignInThrottle, account: string, address: string) {
  const verdict = await throttle.attempt(account, address);
  return verdict.allowed ? 'allowed' : `blocked ${verdict.retryAfterSeconds}`;
}

function behaves(name: string, makeCounter: () => AttemptCounter) {
  describe(name, () => {
    it('blocks an account past its failures and says when to retry', async () => {
      const throttle = new SignInThrottle(makeCounter(), limits);
      const account = `a-${randomUUID()}`;
      for (let i = 0; i < 3; i++) expect(await fail(throttle, account, `ip-${i}`)).toBe('allowed');
      expect(await fail(throttle, account, 'ip-9')).toMatch(/^blocked (59|60)$/);
    });

    it('blocks a burst from one address across accounts', async () => {
      const throttle = new SignInThrottle(makeCounter(), limits);
      const address = `ip-${randomUUID()}`;
      for (let i = 0; i < 5; i++) expect(await fail(throttle, `acct-${i}-${address}`, address)).toBe('allowed');
      expect(await fail(throttle, `another-${address}`, address)).toMatch(/^blocked/);
    });

    it('counts parallel attempts one by one', async () => {
      const throttle = new SignInThrottle(makeCounter(), limits);
      const account = `p-${randomUUID()}`;
      const verdicts = await Promise.all(Array.from({ length: 10 }, (_, i) => throttle.attempt(account, `ip-${i}`)));
      expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
    });

    it('gives a successful attempt its slot back', async () => {
      const throttle = new SignInThrottle(makeCounter(), limits);
      const account = `s-${randomUUID()}`;
      for (let i = 0; i < 10; i++) {
        const verdict = await throttle.attempt(account, 'ip');
        expect(verdict.allowed).toBe(true);
        if (verdict.allowed) await verdict.release();
      }
    });
  });
}

behaves('in-memory sign-in throttle', () => new MemoryAttemptCounter());

describe('sign-in throttle windows', () => {
  it('lets attempts through again once the window has passed', async () => {
    let now = 1_000_000;
    const throttle = new SignInThrottle(new MemoryAttemptCounter(() => now), limits);
    for (let i = 0; i < 3; i++) await throttle.attempt('bob', `ip-${i}`);
    expect((await throttle.attempt('bob', 'ip')).allowed).toBe(false);
    now += 60_001;
    expect((await throttle.attempt('bob', 'ip')).allowed).toBe(true);
    await throttle.close();
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
  it('shares counts between api replicas', async (ctx) => {
    if (!redis) return ctx.skip(`no Redis at ${redisUrl}: ${redisError}`);
    const replicaA = new SignInThrottle(new RedisAttemptCounter(redis, prefix), limits);
    const replicaB = new SignInThrottle(new RedisAttemptCounter(redis, prefix), limits);
    expect(await fail(replicaA, 'carol', 'ip1')).toBe('allowed');
    expect(await fail(replicaB, 'carol', 'ip2')).toBe('allowed');
    expect(await fail(replicaA, 'carol', 'ip3')).toBe('allowed');
    expect(await fail(replicaB, 'carol', 'ip4')).toMatch(/^blocked/);
    expect(await redis.pttl(`${prefix}signin:account:carol`)).toBeGreaterThan(0);
  });

  it('counts parallel attempts one by one', async (ctx) => {
    if (!redis) return ctx.skip(`no Redis at ${redisUrl}: ${redisError}`);
    const throttle = new SignInThrottle(new RedisAttemptCounter(redis, prefix), limits);
    const verdicts = await Promise.all(Array.from({ length: 10 }, (_, i) => throttle.attempt('dave', `ip-${i}`)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
  });
});
