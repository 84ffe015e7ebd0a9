/**
 * Issue 11 item 2: MQTT over WebSockets at /mqtt on the api's own port (MQTT_WEBSOCKETS), relayed
 * to the broker, for hosts that expose only HTTPS. A lock is served end to end through it, with the
 * embedded broker and with Mosquitto; a relayed lock counts as TLS only when it reached the api over
 * https (a trusted proxy's word); without the setting /mqtt is not served.
 */
import { request } from 'node:http';
import { connect as connectTcp } from 'node:net';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { gql, signUp } from '../src/test-support/graphql-client.js';
import { UNLOCK } from '../src/test-support/lock-operations.js';
import { registerLock, type Registered } from '../src/test-support/locks.js';
import { publishStatus, signedStatus } from '../src/test-support/raw-lock.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

const apps: TestApp[] = [];
const clients: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
  await Promise.all(apps.splice(0).map((app) => app.close()));
});
async function started(env: Record<string, string> = {}): Promise<TestApp> {
  const app = await startTestApp(env);
  apps.push(app);
  return app;
}

const wsUrlOf = (app: TestApp) => `ws://127.0.0.1:${app.port}/mqtt`;

/** The lock over the relay; `headers` as a proxy in front of the api would add them. */
async function overWebSocket(app: TestApp, lock: Registered, headers: Record<string, string> = {}): Promise<MqttClient> {
  const options: IClientOptions = { username: lock.mqttUsername, password: lock.mqttPassword, clientId: lock.deviceId, reconnectPeriod: 0, connectTimeout: 5000, wsOptions: { headers } };
  const client = await mqtt.connectAsync(wsUrlOf(app), options);
  clients.push(client);
  return client;
}

/** The CONNACK code of a login over the relay (0: admitted). */
async function loginCode(app: TestApp, lock: Registered, headers: Record<string, string> = {}): Promise<number | undefined> {
  try {
    await overWebSocket(app, lock, headers);
    return 0;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

/** The HTTP status a plain upgrade request to `path` gets (101: switched). */
function upgradeStatus(app: TestApp, path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: app.port, path, headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'mqtt' } });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode);
    });
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

async function servedEndToEnd(app: TestApp): Promise<void> {
  const owner = await signUp(app.httpUrl, 'owner');
  const lock = await registerLock(app, owner.accessToken);
  const client = await overWebSocket(app, lock);
  const commands: string[] = [];
  client.on('message', (_topic, payload) => commands.push(payload.toString()));
  await client.subscribeAsync(app.topics.of(lock.deviceId, 'cmd'), { qos: 1 });
  await publishStatus(app, client, lock, signedStatus(lock, { seq: 1 }));
  await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.state === 'AVAILABLE');
  const sent = await gql<{ unlock: { id: string } }>(app.httpUrl, UNLOCK, { d: lock.deviceId }, owner.accessToken);
  const id = sent.data?.unlock.id;
  expect(id).toBeTypeOf('string');
  await eventually(async () => commands.some((command) => command.includes(`"${id}"`)));
}

describe('MQTT over WebSockets at /mqtt', () => {
  it('serves a lock end to end through the embedded broker: its status in, its command out', async () => {
    await servedEndToEnd(await started({ MQTT_WEBSOCKETS: 'true' }));
  });

  it('is not served without MQTT_WEBSOCKETS, while the GraphQL WebSocket still is', async () => {
    const app = await started();
    expect(await upgradeStatus(app, '/mqtt')).toBe(404);
    expect(await upgradeStatus(app, '/graphql')).toBe(101);
    expect(await upgradeStatus(app, '/elsewhere')).toBe(404);
  });

  it('counts a relayed lock as TLS only when a trusted proxy says it came over https', async () => {
    const app = await started({ MQTT_WEBSOCKETS: 'true', MQTT_REQUIRE_TLS: 'true', TRUST_PROXY: '1' });
    const owner = await signUp(app.httpUrl, 'owner');
    const lock = await registerLock(app, owner.accessToken);
    expect(await loginCode(app, lock)).toBe(5);
    expect(await loginCode(app, lock, { 'x-forwarded-proto': 'http' })).toBe(5);
    expect(await loginCode(app, lock, { 'x-forwarded-proto': 'https' })).toBe(0);
  });

  it("does not believe a client's own X-Forwarded-Proto without TRUST_PROXY", async () => {
    const app = await started({ MQTT_WEBSOCKETS: 'true', MQTT_REQUIRE_TLS: 'true' });
    const owner = await signUp(app.httpUrl, 'owner');
    const lock = await registerLock(app, owner.accessToken);
    expect(await loginCode(app, lock, { 'x-forwarded-proto': 'https' })).toBe(5);
  });

  it('refuses a wrong password through the relay as the broker does directly', async () => {
    const app = await started({ MQTT_WEBSOCKETS: 'true' });
    const owner = await signUp(app.httpUrl, 'owner');
    const lock = await registerLock(app, owner.accessToken);
    expect(await loginCode(app, { ...lock, mqttPassword: 'wrong' })).toBe(4);
  });

  it('serves a lock end to end through an external broker (Mosquitto)', async (ctx) => {
    const { hostname, port } = new URL(MQTT_URL);
    const up = await new Promise<boolean>((resolve) => {
      const socket = connectTcp({ host: hostname, port: Number(port) }, () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (!up) {
      if (process.env.CI === 'true') throw new Error(`CI needs Mosquitto at ${MQTT_URL}`);
      return ctx.skip(`needs Mosquitto at ${MQTT_URL}`);
    }
    // The machine's shared Mosquitto admits anyone: what is tested is the relay, not its accounts.
    await servedEndToEnd(await started({ MQTT_WEBSOCKETS: 'true', MQTT_URL, MQTT_USERNAME: 'smartlock-api', MQTT_PASSWORD: 'unused-on-this-mosquitto' }));
  });
});
