/**
 * Two api replicas on a private redis-server that the tests stop and start again (never the shared
 * Redis): a replica's own subscribers keep getting its events during the outage, the failures are
 * counted, and afterwards subscribers are told to resync and events cross again.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, signUp, wsClient, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, startLock } from '../src/test-support/locks.js';
import { startPrivateRedis, type PrivateRedis } from '../src/test-support/redis-server.js';
import { collect, eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let redis: PrivateRedis;
let a: TestApp;
let b: TestApp;
let user: AuthResult;
const deviceId = 'outage-door';

async function failures(app: TestApp, kind: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', app.httpUrl))).text();
  const line = text.split('\n').find((l) => l.startsWith(`smartlock_event_bus_failures_total{kind="${kind}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

async function rename(app: TestApp, name: string): Promise<void> {
  const response = await gql(app.httpUrl, 'mutation ($d: ID!, $n: String!) { renameLock(deviceId: $d, name: $n) { name } }', { d: deviceId, n: name }, user.accessToken);
  expect(response.errors).toBeUndefined();
}

/** Subscribes and waits until the server has the subscription (a first rename arrives). */
async function liveLockNames(app: TestApp, via: TestApp) {
  const socket = wsClient(app.wsUrl, user.accessToken);
  const feed = collect<{ name: string }>(socket, `subscription { lockChanged(deviceId: "${deviceId}") { name } }`);
  await eventually(async () => {
    await rename(via, `probe-${randomUUID()}`);
    return feed.events.length > 0;
  }, 10_000);
  return { socket, feed };
}

beforeAll(async () => {
  redis = await startPrivateRedis();
  const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `test-${randomUUID()}:` };
  a = await startTestApp(env);
  b = await startTestApp({ ...env, DATA_DIR: a.dataDir });
  user = await signUp(a.httpUrl, 'outage-owner');
  await registerLock(a, user.accessToken, deviceId);
}, 30_000);

afterAll(async () => {
  await redis?.start(); // a clean stop of both apps needs Redis back
  await b?.stop();
  await a?.close();
  await redis?.stop();
});

describe('a Redis outage between api replicas', () => {
  it('still delivers a replica its own events while Redis is down, and counts the failed publish', async () => {
    const { socket, feed } = await liveLockNames(a, a);
    const before = await failures(a, 'publish');
    const lostBefore = await failures(a, 'subscriber_lost');
    await redis.stop();
    // Wait until the api noticed: a publish sent in the instant before would not fail, only vanish.
    await eventually(async () => (await failures(a, 'subscriber_lost')) > lostBefore, 15_000);
    await rename(a, 'during the outage');
    await feed.waitFor((e) => e.name === 'during the outage');
    await eventually(async () => (await failures(a, 'publish')) > before);
    await redis.start();
    await socket.dispose();
  });

  it('sends resync to WebSocket subscribers once Redis is back', async () => {
    const socket = wsClient(b.wsUrl, user.accessToken);
    const resyncs = collect<{ reason: string; at: string }>(socket, 'subscription { resync { reason at } }');
    // The subscription is in place once another live feed on the same socket answers.
    const names = collect<{ name: string }>(socket, `subscription { lockChanged(deviceId: "${deviceId}") { name } }`);
    await eventually(async () => {
      await rename(b, `probe-${randomUUID()}`);
      return names.events.length > 0;
    });
    await redis.stop();
    await eventually(async () => (await failures(b, 'subscriber_lost')) > 0, 15_000);
    await redis.start();
    const resync = await resyncs.waitFor((e) => e.reason === 'RECONNECTED', 10_000);
    expect(Number.isNaN(Date.parse(resync.at))).toBe(false);
    await socket.dispose();
  });

  it('stops trusting a secret rotated on another replica during the outage once Redis is back', async () => {
    const rotating = await registerLock(a, user.accessToken, 'outage-rotated');
    // The lock talks to B's embedded broker; B's ingest caches its row (with the secret) on the first status.
    const lock = await startLock(b, rotating);
    const dropped = async (): Promise<number> => {
      const text = await b.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_dropped_total');
      const line = text.split('\n').find((l) => l.includes('reason="bad_signature"'));
      return line ? Number(line.split(' ').at(-1)) : 0;
    };
    const online = async () => (await b.services.store.locks.findByDeviceId(rotating.deviceId))?.state === 'AVAILABLE';
    await eventually(online);
    const socket = wsClient(b.wsUrl, user.accessToken);
    const resyncs = collect<{ reason: string }>(socket, 'subscription { resync { reason } }');
    const names = collect<{ name: string }>(socket, `subscription { lockChanged(deviceId: "${deviceId}") { name } }`);
    await eventually(async () => {
      await rename(b, `probe-${randomUUID()}`);
      return names.events.length > 0;
    });
    const publishFailuresBefore = await failures(a, 'publish');
    await redis.stop();
    // Down for A too: its publishes fail (so the rotation below cannot reach B through Redis).
    await eventually(async () => {
      await rename(a, `probe-${randomUUID()}`);
      return (await failures(a, 'publish')) > publishFailuresBefore;
    }, 15_000);
    // Rotated through A: B never hears of it, so its broker keeps the session and its cache the old secret.
    const rotated = await gql(a.httpUrl, 'mutation ($d: ID!) { rotateDeviceSecret(deviceId: $d) { deviceSecret } }', { d: rotating.deviceId }, user.accessToken);
    expect(rotated.errors).toBeUndefined();
    await redis.start();
    await resyncs.waitFor((e) => e.reason === 'RECONNECTED', 10_000);
    const before = await dropped();
    await lock.sendStatus();
    await eventually(async () => (await dropped()) > before);
    await lock.stop({ graceful: false });
    await socket.dispose();
  });

  it('shares events between the replicas again after the outage', async () => {
    await redis.stop();
    await redis.start();
    // B's subscribers hear A's renames once both have reconnected (A publishes, B subscribes).
    const { socket, feed } = await liveLockNames(b, a);
    await rename(a, 'after the outage');
    await feed.waitFor((e) => e.name === 'after the outage', 10_000);
    await socket.dispose();
  });
});
