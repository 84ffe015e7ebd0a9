/**
 * Two api replicas sharing one SQLite file, Redis (events, throttle, BullMQ)
 * and Mosquitto (shared subscriptions): what one replica ingests, the other's
 * subscribers see, and the offline sweep runs through the BullMQ scheduler.
 */
import { randomUUID } from 'node:crypto';
import { connect as connectTcp } from 'node:net';
import { Redis } from 'ioredis';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusJson } from '../src/devices/protocol/messages.js';
import { signPayload } from '../src/devices/protocol/signature.js';
import { gql, signUp, wsClient } from '../src/test-support/graphql-client.js';
import { registerLock, startLock } from '../src/test-support/locks.js';
import { collect, eventually, subscribed } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connectTcp({ host: hostname, port: Number(port) }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

const services = { redis: false, mqtt: false };
/** Even: shared subscriptions hand each replica about half, so neither alone would reach it. */
const BURST = 6;
let a: TestApp;
let b: TestApp;
const prefix = `test-${randomUUID()}`;

beforeAll(async () => {
  services.redis = await reachable(REDIS_URL);
  services.mqtt = await reachable(MQTT_URL);
  if (!services.redis || !services.mqtt) {
    if (process.env.CI === 'true') throw new Error(`CI needs Redis at ${REDIS_URL} and Mosquitto at ${MQTT_URL}`);
    return;
  }
  const env = {
    REDIS_URL,
    REDIS_KEY_PREFIX: `${prefix}:`,
    MQTT_URL,
    MQTT_USERNAME: 'smartlock-api',
    MQTT_PASSWORD: 'unused-on-this-mosquitto',
    MQTT_SHARED_SUBSCRIPTION: 'true',
    MQTT_TOPIC_PREFIX: prefix,
    OFFLINE_AFTER_MS: '1500',
    OFFLINE_SWEEP_MS: '250',
    ALERT_BAD_SIGNATURES: String(BURST),
  };
  a = await startTestApp(env);
  b = await startTestApp({ ...env, DATA_DIR: a.dataDir });
}, 30_000);

afterAll(async () => {
  if (!a) return;
  await b.stop();
  await a.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  const cleaner = await mqtt.connectAsync(MQTT_URL);
  for (const deviceId of ['shared-door', 'steady-door', 'late-door', 'silent-door', 'forged-door']) await cleaner.publishAsync(`${prefix}/${deviceId}/availability`, '', { retain: true, qos: 1 });
  await cleaner.endAsync();
});

describe('two api replicas on Redis and Mosquitto', () => {
  it('shares live events and commands between replicas', async (ctx) => {
    if (!a) return ctx.skip(`needs Redis at ${REDIS_URL} and Mosquitto at ${MQTT_URL}`);
    const user = await signUp(a.httpUrl, 'replicated');
    const lock = await registerLock(a, user.accessToken, 'shared-door');
    const socketB = wsClient(b.wsUrl, user.accessToken);
    const feedB = collect<{ deviceId: string; status: string; online: boolean }>(socketB, 'subscription { lockChanged { deviceId status online } }');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sim = await startLock(a, lock, { brokerUrl: MQTT_URL });
    await feedB.waitFor((e) => e.online && e.status === 'LOCKED');
    // Sent through replica B; the ack may be ingested by either replica.
    const sent = await gql<{ unlock: { id: string } }>(b.httpUrl, 'mutation { unlock(deviceId: "shared-door") { id } }', {}, user.accessToken);
    await feedB.waitFor((e) => e.status === 'UNLOCKED');
    const id = sent.data?.unlock.id ?? '';
    await eventually(async () => (await gql<{ command: { state: string } }>(a.httpUrl, `{ command(id: "${id}") { state } }`, {}, user.accessToken)).data?.command.state === 'SUCCEEDED');
    await sim.stop({ graceful: true });
    await socketB.dispose();
  });

  it("announces and audits a lock's change once: the other replica knows it by its next heartbeat", async (ctx) => {
    if (!a) return ctx.skip(`needs Redis at ${REDIS_URL} and Mosquitto at ${MQTT_URL}`);
    const user = await signUp(a.httpUrl, 'steady-owner');
    const lock = await registerLock(a, user.accessToken, 'steady-door');
    const device = await mqtt.connectAsync(MQTT_URL, { username: lock.mqttUsername, password: lock.mqttPassword });
    const status = (seq: number) =>
      signPayload(
        Buffer.from(lock.deviceSecret, 'hex'),
        statusJson({ v: 1, type: 'status', dev: 'steady-door', boot: 1, seq, status: 'LOCKED', ctr: 0, ts: Math.floor(Date.now() / 1000), battery: 80, power: 'BATTERY' }),
      );
    await device.publishAsync(`${prefix}/steady-door/status`, status(1), { qos: 1 });
    // Whichever replica took it, the other learns the new row from its lock.changed event (Redis).
    for (const replica of [a, b]) await eventually(() => Promise.resolve(replica.services.ingest.known('steady-door')?.state === 'AVAILABLE'));
    // Heartbeats saying the same: the shared subscription hands them to both replicas.
    for (let seq = 2; seq <= 7; seq += 1) await device.publishAsync(`${prefix}/steady-door/status`, status(seq), { qos: 1 });
    await eventually(async () => (await a.services.store.locks.findByDeviceId('steady-door'))?.lastSeq === 7, 5000);
    for (const action of ['lock.online', 'lock.status']) {
      const page = await a.services.store.audit.query({ deviceId: 'steady-door', action }, { first: 10 });
      expect(page.items.map((entry) => entry.action)).toEqual([action]);
    }
    await device.endAsync();
  });

  it("shows a lock's newest state on every replica, even when another replica's event about an older one comes last", async (ctx) => {
    if (!a) return ctx.skip(`needs Redis at ${REDIS_URL} and Mosquitto at ${MQTT_URL}`);
    const user = await signUp(a.httpUrl, 'late-owner');
    const lock = await registerLock(a, user.accessToken, 'late-door');
    const fence = await registerLock(a, user.accessToken, 'late-fence');
    const socketB = wsClient(b.wsUrl, user.accessToken);
    const feedB = await subscribed<{ deviceId: string; status: string }>(b.websocketOperations, socketB, 'subscription { lockChanged { deviceId status } }');
    const device = await mqtt.connectAsync(MQTT_URL, { username: lock.mqttUsername, password: lock.mqttPassword });
    const status = (seq: number, bolt: 'LOCKED' | 'UNLOCKED') =>
      signPayload(Buffer.from(lock.deviceSecret, 'hex'), statusJson({ v: 1, type: 'status', dev: 'late-door', boot: 1, seq, status: bolt, ctr: 0, ts: Math.floor(Date.now() / 1000) }));
    await device.publishAsync(`${prefix}/late-door/status`, status(1, 'UNLOCKED'), { qos: 1 });
    await feedB.waitFor((e) => e.deviceId === 'late-door' && e.status === 'UNLOCKED');
    const older = await a.services.store.locks.findByDeviceId('late-door');
    await device.publishAsync(`${prefix}/late-door/status`, status(2, 'LOCKED'), { qos: 1 });
    await feedB.waitFor((e) => e.deviceId === 'late-door' && e.status === 'LOCKED');
    // Replica A's event about the UNLOCKED row, delayed until after the LOCKED one (a busy replica):
    if (older) a.services.events.publish('lock.changed', older);
    a.services.events.publish('lock.changed', (await a.services.store.locks.findByDeviceId(fence.deviceId))!);
    await feedB.waitFor((e) => e.deviceId === fence.deviceId);
    expect(feedB.events.filter((e) => e.deviceId === 'late-door').at(-1)?.status).toBe('LOCKED');
    await device.endAsync();
    await socketB.dispose();
  });

  it('runs the offline sweep through the BullMQ scheduler', async (ctx) => {
    if (!a) return ctx.skip(`needs Redis at ${REDIS_URL} and Mosquitto at ${MQTT_URL}`);
    const user = await signUp(a.httpUrl, 'sweeper');
    const lock = await registerLock(a, user.accessToken, 'silent-door');
    const device = await mqtt.connectAsync(MQTT_URL, { username: lock.mqttUsername, password: lock.mqttPassword });
    const payload = signPayload(
      Buffer.from(lock.deviceSecret, 'hex'),
      statusJson({ v: 1, type: 'status', dev: 'silent-door', boot: 1, seq: 1, status: 'LOCKED', ctr: 0, ts: Math.floor(Date.now() / 1000) }),
    );
    await device.publishAsync(`${prefix}/silent-door/status`, payload, { qos: 1 });
    await eventually(async () => (await a.services.store.locks.findByDeviceId('silent-door'))?.state === 'AVAILABLE');
    const offline = await eventually(async () => {
      const row = await a.services.store.locks.findByDeviceId('silent-door');
      return row?.state === 'UNAVAILABLE' ? row : null;
    }, 8000);
    expect(offline.issue).toBe('No heartbeat');
    await device.endAsync();
  });

  it('counts bad signatures across replicas and raises the alert once', async (ctx) => {
    if (!a) return ctx.skip(`needs Redis at ${REDIS_URL} and Mosquitto at ${MQTT_URL}`);
    const user = await signUp(a.httpUrl, 'forged-owner');
    const lock = await registerLock(a, user.accessToken, 'forged-door');
    const device = await mqtt.connectAsync(MQTT_URL, { username: lock.mqttUsername, password: lock.mqttPassword });
    for (let seq = 1; seq <= BURST; seq += 1) {
      const forged = signPayload(
        Buffer.from('cd'.repeat(32), 'hex'),
        statusJson({ v: 1, type: 'status', dev: 'forged-door', boot: 1, seq, status: 'UNLOCKED', ctr: 0, ts: Math.floor(Date.now() / 1000) }),
      );
      await device.publishAsync(`${prefix}/forged-door/status`, forged, { qos: 1 });
    }
    const row = await eventually(async () => {
      const stored = await a.services.store.locks.findByDeviceId('forged-door');
      return stored?.alerts.length ? stored : null;
    });
    expect(row.alerts.map((alert) => alert.kind)).toEqual(['BAD_SIGNATURES']);
    const raised = await eventually(async () => {
      const page = await a.services.store.audit.query({ deviceId: 'forged-door', action: 'lock.alertRaised' }, { first: 10 });
      return page.items.length > 0 ? page.items : null;
    });
    expect(raised.map((entry) => entry.result)).toEqual(['BAD_SIGNATURES']);
    await device.endAsync();
  });
});
