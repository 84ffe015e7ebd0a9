/**
 * Attack: create account after account from one address (each costs the server a strength
 * estimate and a scrypt hash, and each is another place to guess from). A per-address sign-up
 * throttle answers TOO_MANY_ATTEMPTS past the limit, in memory and across replicas through Redis.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { throttleKeyOf } from '../../src/auth/throttle/address-key.js';
import { MemoryAttemptCounter } from '../../src/auth/throttle/memory-counter.js';
import { SignUpThrottle } from '../../src/auth/throttle/sign-up-throttle.js';
import { errorCodes, gql, SIGN_UP } from '../../src/test-support/graphql-client.js';
import { startTestApp } from '../../src/test-support/test-app.js';

const PASSWORD = 'quiet otter under seven bridges';
const LIMITS = { SIGNUP_ADDRESS_MAX_ATTEMPTS: '3', SIGNUP_ADDRESS_WINDOW: '1h', TRUST_PROXY: '1' };

function signUpFrom(url: string, address: string, username: string) {
  return gql(url, SIGN_UP, { username, password: PASSWORD }, undefined, { 'x-forwarded-for': address });
}

describe('sign-up flood through the api', () => {
  it('answers TOO_MANY_ATTEMPTS past the limit for one address, creates nothing, and leaves other addresses alone', async () => {
    const app = await startTestApp(LIMITS);
    try {
      for (let i = 0; i < 3; i++) expect(errorCodes(await signUpFrom(app.httpUrl, '203.0.113.9', `flood-${i}`))).toEqual([]);
      const refused = await signUpFrom(app.httpUrl, '203.0.113.9', 'flood-3');
      expect(errorCodes(refused)).toEqual(['TOO_MANY_ATTEMPTS']);
      expect(refused.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(3500);
      expect(await app.services.store.users.findByUsername('flood-3')).toBeNull();
      // Weak-password attempts count too: the estimator cannot be spun for free.
      expect(errorCodes(await gql(app.httpUrl, SIGN_UP, { username: 'weakling', password: 'aaaaaaaaaa' }, undefined, { 'x-forwarded-for': '203.0.113.9' }))).toEqual(['TOO_MANY_ATTEMPTS']);
      expect(errorCodes(await signUpFrom(app.httpUrl, '198.51.100.20', 'elsewhere'))).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('shares the count between two replicas through Redis', async (ctx) => {
    const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    try {
      await probe.connect();
    } catch (error) {
      probe.disconnect();
      if (process.env.CI === 'true') throw error;
      return ctx.skip(`no Redis at ${url}`);
    }
    const prefix = `test-${randomUUID()}:`;
    const replicaA = await startTestApp({ ...LIMITS, REDIS_URL: url, REDIS_KEY_PREFIX: prefix });
    const replicaB = await startTestApp({ ...LIMITS, REDIS_URL: url, REDIS_KEY_PREFIX: prefix, DATA_DIR: replicaA.dataDir });
    try {
      expect(errorCodes(await signUpFrom(replicaA.httpUrl, '203.0.113.50', 'shared-0'))).toEqual([]);
      expect(errorCodes(await signUpFrom(replicaB.httpUrl, '203.0.113.50', 'shared-1'))).toEqual([]);
      expect(errorCodes(await signUpFrom(replicaA.httpUrl, '203.0.113.50', 'shared-2'))).toEqual([]);
      expect(errorCodes(await signUpFrom(replicaB.httpUrl, '203.0.113.50', 'shared-3'))).toEqual(['TOO_MANY_ATTEMPTS']);
      expect(await probe.pttl(`${prefix}signup:address:203.0.113.50`)).toBeGreaterThan(0);
    } finally {
      await replicaB.stop();
      await replicaA.close();
      const keys = await probe.keys(`${prefix}*`);
      if (keys.length > 0) await probe.del(...keys);
      await probe.quit();
    }
  });
});

describe('sign-up throttle', () => {
  it('lets the address sign up again once its window has passed (injected clock)', async () => {
    let now = 1_000_000;
    const counter = new MemoryAttemptCounter(() => now);
    const throttle = new SignUpThrottle(counter, { addressMaxAttempts: 2, addressWindowMs: 3_600_000 });
    expect((await throttle.attempt('192.0.2.1')).allowed).toBe(true);
    expect((await throttle.attempt('192.0.2.1')).allowed).toBe(true);
    expect(await throttle.attempt('192.0.2.1')).toEqual({ allowed: false, retryAfterSeconds: 3600 });
    now += 3_600_001;
    expect((await throttle.attempt('192.0.2.1')).allowed).toBe(true);
    await counter.close();
  });

  it('counts an IPv6 client by its /64, which one subscriber holds whole', () => {
    expect(throttleKeyOf('2001:db8:1:2::a')).toBe('2001:db8:1:2::/64');
    expect(throttleKeyOf('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(throttleKeyOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(throttleKeyOf('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(throttleKeyOf('192.0.2.7')).toBe('192.0.2.7');
  });
});
