import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAttemptCounter } from '../auth/throttle/memory-counter.js';
import { RedisAttemptCounter } from '../auth/throttle/redis-counter.js';
import { CommandRateLimit, type CommandRateVerdict } from './command-rate-limit.js';

const limits = { burstMax: 3, burstWindowMs: 60_000, sustainedMax: 5, sustainedWindowMs: 3_600_000 };
const outcome = (verdict: CommandRateVerdict) => (verdict.allowed ? 'ok' : `wait ${verdict.retryAfterSeconds}${verdict.firstRefusal ? ' first' : ''}`);

describe('command rate limit windows (injected clock)', () => {
  it('opens again when the burst window ends, and holds to the sustained limit across bursts', async () => {
    let now = 1_000_000;
    const limit = new CommandRateLimit(new MemoryAttemptCounter(() => now), limits);
    const take = async () => outcome(await limit.take('alice', 'door'));
    expect([await take(), await take(), await take()]).toEqual(['ok', 'ok', 'ok']);
    expect(await take()).toBe('wait 60 first');
    now += 30_000;
    expect(await take()).toBe('wait 30');
    now += 30_001;
    expect([await take(), await take()]).toEqual(['ok', 'ok']);
    // Five in the hour: the sixth waits for the hour, however long ago the last burst was.
    expect(await take()).toBe(`wait ${Math.ceil((3_600_000 - 60_001) / 1000)} first`);
    expect(outcome(await limit.take('alice', 'back-door'))).toBe('ok');
    expect(outcome(await limit.take('bob', 'door'))).toBe('ok');
    await limit.close();
  });

  it('does not count refused requests against later windows', async () => {
    let now = 1_000_000;
    const limit = new CommandRateLimit(new MemoryAttemptCounter(() => now), { ...limits, sustainedMax: 4 });
    for (let i = 0; i < 3; i++) await limit.take('alice', 'door');
    for (let i = 0; i < 50; i++) expect((await limit.take('alice', 'door')).allowed).toBe(false);
    now += 60_001;
    expect(outcome(await limit.take('alice', 'door'))).toBe('ok');
    await limit.close();
  });
});

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-${randomUUID()}:`;
let redis: Redis | undefined;

beforeAll(async () => {
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await client.connect();
    redis = client;
  } catch (error) {
    client.disconnect();
    if (process.env.CI === 'true') throw new Error(`Redis is required in CI at ${redisUrl}`, { cause: error });
  }
});
afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('command rate limit in Redis (real Redis, random key prefix)', () => {
  it('counts concurrent requests from two replicas as one', async (ctx) => {
    if (!redis) return ctx.skip(`no Redis at ${redisUrl}`);
    const replicaA = new CommandRateLimit(new RedisAttemptCounter(redis, prefix), limits);
    const replicaB = new CommandRateLimit(new RedisAttemptCounter(redis, prefix), limits);
    const verdicts = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? replicaA : replicaB).take('carol', 'door')));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
    expect(verdicts.filter((v) => !v.allowed && v.firstRefusal)).toHaveLength(1);
  });
});
