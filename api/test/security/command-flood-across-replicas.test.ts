/**
 * Attack: spread a command flood over two api replicas (sharing Redis, one
 * SQLite file and Mosquitto) so each replica's own view stays under the limit
 * and neither sees the other's pending command. The rate limit is counted in
 * Redis and supersession is decided in the shared store, so both hold as if
 * there were one replica, and a subscriber on one replica sees a command sent
 * through the other end SUPERSEDED.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, signUp, wsClient } from '../../src/test-support/graphql-client.js';
import { COMMAND_UPDATED, UNLOCK, type CommandView } from '../../src/test-support/lock-operations.js';
import { onlineRawLock } from '../../src/test-support/raw-lock.js';
import { reachable } from '../../src/test-support/reachable.js';
import { collect } from '../../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const prefix = `test-${randomUUID()}`;
let a: TestApp | undefined;
let b: TestApp | undefined;
const clients: MqttClient[] = [];
const deviceIds: string[] = [];

beforeAll(async () => {
  if (!(await reachable(REDIS_URL)) || !(await reachable(MQTT_URL))) {
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
    COMMAND_TIMEOUT_MS: '60000',
    COMMAND_RATE_BURST_MAX: '4',
    COMMAND_RATE_BURST_WINDOW: '1m',
  };
  a = await startTestApp(env);
  b = await startTestApp({ ...env, DATA_DIR: a.dataDir });
}, 30_000);

afterAll(async () => {
  for (const client of clients) await client.endAsync();
  if (!a || !b) return;
  await b.stop();
  await a.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  const cleaner = await import('mqtt').then((mqtt) => mqtt.default.connectAsync(MQTT_URL));
  for (const deviceId of deviceIds) await cleaner.publishAsync(`${prefix}/${deviceId}/availability`, '', { retain: true, qos: 1 });
  await cleaner.endAsync();
  await redis.quit();
});

async function onlineLock(app: TestApp, token: string) {
  const { lock, client } = await onlineRawLock(app, token);
  clients.push(client);
  deviceIds.push(lock.deviceId);
  return lock;
}

describe('a command flood spread over two replicas', () => {
  it('is held to one shared rate limit', async (ctx) => {
    if (!a || !b) return ctx.skip(`needs Redis at ${REDIS_URL} and Mosquitto at ${MQTT_URL}`);
    const user = await signUp(a.httpUrl, `limited-${randomUUID().slice(0, 8)}`);
    const lock = await onlineLock(a, user.accessToken);
    const replicas = [a, b, a, b];
    for (const replica of replicas) expect(errorCodes(await gql(replica.httpUrl, UNLOCK, { d: lock.deviceId }, user.accessToken))).toEqual([]);
    expect(errorCodes(await gql(a.httpUrl, UNLOCK, { d: lock.deviceId }, user.accessToken))).toEqual(['TOO_MANY_COMMANDS']);
    expect(errorCodes(await gql(b.httpUrl, UNLOCK, { d: lock.deviceId }, user.accessToken))).toEqual(['TOO_MANY_COMMANDS']);
  });

  it('leaves one command SENT when concurrent requests hit both replicas, and tells the other replica\'s subscribers', async (ctx) => {
    if (!a || !b) return ctx.skip(`needs Redis at ${REDIS_URL} and Mosquitto at ${MQTT_URL}`);
    const replicaA = a;
    const replicaB = b;
    const user = await signUp(replicaA.httpUrl, `racer-${randomUUID().slice(0, 8)}`);
    const lock = await onlineLock(replicaA, user.accessToken);
    const answers = await Promise.all(
      // Three at once, then one more below: four in all, within the limit of four.
      [replicaA, replicaB, replicaA].map((replica) => gql<{ unlock: { id: string } }>(replica.httpUrl, UNLOCK, { d: lock.deviceId }, user.accessToken)),
    );
    expect(answers.flatMap((answer) => answer.errors ?? [])).toEqual([]);
    const commands = (await replicaA.services.store.commands.listByDevice(lock.deviceId, { first: 50 })).items;
    expect(commands).toHaveLength(3);
    expect(commands.filter((command) => command.state === 'SENT')).toHaveLength(1);
    const newest = commands.reduce((x, y) => (x.counter > y.counter ? x : y));
    expect(newest.state).toBe('SENT');

    // One more through A supersedes the last pending one; B's subscriber to it sees that.
    const socket = wsClient(replicaB.wsUrl, user.accessToken);
    const watched = collect<CommandView>(socket, COMMAND_UPDATED, { id: newest.id });
    await watched.waitFor((event) => event.state === 'SENT');
    const next = await gql<{ unlock: { id: string } }>(replicaA.httpUrl, UNLOCK, { d: lock.deviceId }, user.accessToken);
    expect(errorCodes(next)).toEqual([]);
    const seen = await watched.waitFor((event) => event.state === 'SUPERSEDED');
    expect(seen.reason).toBe(`superseded by ${next.data?.unlock.id}`);
    watched.stop();
    await socket.dispose();
  });
});
