import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp } from '../src/test-support/graphql-client.js';
import { startTestApp } from '../src/test-support/test-app.js';

// Two free failures per address and account; the third puts the account under attack, so the address waits the longest.
const LIMITS = { SIGNIN_FREE_FAILURES: '2', SIGNIN_ACCOUNT_MAX_FAILURES: '3', SIGNIN_ADDRESS_MAX_FAILURES: '50' };

describe('sign-in throttling through the api', () => {
  it('answers TOO_MANY_ATTEMPTS past the limit, even with the right password, and audits it', async () => {
    const app = await startTestApp(LIMITS);
    try {
      await signUp(app.httpUrl, 'target', 'the real password');
      for (let i = 0; i < 3; i++) {
        expect(errorCodes(await gql(app.httpUrl, SIGN_IN, { username: 'target', password: `guess number ${i}` }))).toEqual(['UNAUTHENTICATED']);
      }
      const blocked = await gql(app.httpUrl, SIGN_IN, { username: 'target', password: 'the real password' });
      expect(errorCodes(blocked)).toEqual(['TOO_MANY_ATTEMPTS']);
      expect(blocked.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
      // Failed and throttled sign-ins have no actor (test/security/failed-sign-in-attribution.test.ts).
      const audit = await app.services.store.audit.query({ action: 'user.signIn' }, { first: 10 });
      expect(audit.items.map((e) => e.result).sort()).toEqual(['failed', 'failed', 'failed', 'throttled']);
    } finally {
      await app.close();
    }
  });

  it('counts aliased sign-ins one by one: mutations run serially and stop at the first failure', async () => {
    const app = await startTestApp(LIMITS);
    try {
      await signUp(app.httpUrl, 'aliased', 'the real password');
      const aliases = Array.from({ length: 6 }, (_, i) => `t${i}: signIn(username: "aliased", password: "guess ${i} guess") { accessToken }`).join(' ');
      for (let request = 0; request < 3; request++) {
        expect(errorCodes(await gql(app.httpUrl, `mutation { ${aliases} }`))).toEqual(['UNAUTHENTICATED']);
      }
      const failures = await app.services.store.audit.query({ action: 'user.signIn' }, { first: 10 });
      expect(failures.items).toHaveLength(3);
      expect(errorCodes(await gql(app.httpUrl, `mutation { ${aliases} }`))).toEqual(['TOO_MANY_ATTEMPTS']);
      expect(errorCodes(await gql(app.httpUrl, SIGN_IN, { username: 'aliased', password: 'the real password' }))).toEqual(['TOO_MANY_ATTEMPTS']);
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
    const env = { ...LIMITS, REDIS_URL: url, REDIS_KEY_PREFIX: prefix };
    const replicaA = await startTestApp(env);
    const replicaB = await startTestApp({ ...env, DATA_DIR: replicaA.dataDir });
    try {
      const readyz = await fetch(`http://127.0.0.1:${replicaA.port}/readyz`);
      expect(await readyz.json()).toMatchObject({ checks: { store: 'ok', redis: 'ok' } });
      await signUp(replicaA.httpUrl, 'shared');
      await gql(replicaA.httpUrl, SIGN_IN, { username: 'shared', password: 'wrong password 1' });
      await gql(replicaB.httpUrl, SIGN_IN, { username: 'shared', password: 'wrong password 2' });
      await gql(replicaA.httpUrl, SIGN_IN, { username: 'shared', password: 'wrong password 3' });
      expect(errorCodes(await gql(replicaB.httpUrl, SIGN_IN, { username: 'shared', password: 'correct horse battery' }))).toEqual(['TOO_MANY_ATTEMPTS']);
    } finally {
      await replicaB.stop();
      await replicaA.close();
      const keys = await probe.keys(`${prefix}*`);
      if (keys.length > 0) await probe.del(...keys);
      await probe.quit();
    }
  });
});

