/**
 * Attack: a lock's broker password outlives a rotation or removal of the lock, because the
 * external broker's accounts were kept by hand. With MQTT_BROKER_ADMIN=dynsec the api keeps them
 * itself on Mosquitto's dynamic security: registration creates the account (client id bound to
 * the device id, rights limited to the lock's three topics), rotation changes the password and
 * ends the live session, removal deletes the account, and start-up repairs what the broker missed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { DynsecClient } from '../../src/devices/broker/dynsec-client.js';
import { gql, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { registerLock, type Registered } from '../../src/test-support/locks.js';
import { dynsecUnavailable, requireDynsecMosquitto, startDynsecMosquitto, type DynsecMosquitto } from '../../src/test-support/dynsec-mosquitto.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const prefix = `test-${randomUUID()}`;
let broker: DynsecMosquitto | undefined;
let app: TestApp | undefined;
let owner: AuthResult;

beforeAll(async () => {
  if (dynsecUnavailable()) return;
  broker = await startDynsecMosquitto(prefix);
  app = await startTestApp(broker.apiEnv);
  owner = await signUp(app.httpUrl, 'owner');
});
afterAll(async () => {
  await app?.close();
  await broker?.stop();
});

function started(): { app: TestApp; broker: DynsecMosquitto } {
  if (!app || !broker) throw new Error('not started');
  return { app, broker };
}

/** The CONNACK code: 0 accepted (the client is then closed), 5 not authorised. */
async function loginCode(url: string, username: string, password: string, clientId = username): Promise<number | undefined> {
  try {
    const client = await mqtt.connectAsync(url, { protocolVersion: 4, username, password, clientId, reconnectPeriod: 0 });
    await client.endAsync(true);
    return 0;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

const asLock = (url: string, lock: Registered, extra: IClientOptions = {}) =>
  mqtt.connectAsync(url, { protocolVersion: 4, username: lock.mqttUsername, password: lock.mqttPassword, clientId: lock.deviceId, reconnectPeriod: 0, ...extra });

const closed = (client: MqttClient) => new Promise<void>((resolve) => (client.disconnected ? resolve() : client.once('close', () => resolve())));

async function rotate(running: TestApp, deviceId: string): Promise<{ mqttPassword: string }> {
  const response = await gql<{ rotateDeviceSecret: { mqttPassword: string } }>(running.httpUrl, `mutation { rotateDeviceSecret(deviceId: "${deviceId}") { mqttPassword } }`, {}, owner.accessToken);
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.rotateDeviceSecret;
}

describe('lock accounts on Mosquitto follow the store', () => {
  it('a rotation ends the live session and refuses the old password', async (ctx) => {
    requireDynsecMosquitto(ctx);
    const { app: running, broker: mosquitto } = started();
    const lock = await registerLock(running, owner.accessToken);
    const live = await asLock(mosquitto.url, lock);
    const ended = closed(live);

    const { mqttPassword } = await rotate(running, lock.deviceId);
    await ended;
    expect(await loginCode(mosquitto.url, lock.deviceId, lock.mqttPassword)).toBe(5);
    expect(await loginCode(mosquitto.url, lock.deviceId, mqttPassword)).toBe(0);
  });

  it('a removal deletes the account and ends its session', async (ctx) => {
    requireDynsecMosquitto(ctx);
    const { app: running, broker: mosquitto } = started();
    const lock = await registerLock(running, owner.accessToken);
    const live = await asLock(mosquitto.url, lock);
    const ended = closed(live);
    const removed = await gql(running.httpUrl, `mutation { removeLock(deviceId: "${lock.deviceId}") }`, {}, owner.accessToken);
    expect(removed.errors).toBeUndefined();
    await ended;
    expect(await loginCode(mosquitto.url, lock.deviceId, lock.mqttPassword)).toBe(5);
  });

  it("a lock's account reaches only its own three topics", async (ctx) => {
    requireDynsecMosquitto(ctx);
    const { app: running, broker: mosquitto } = started();
    const lock = await registerLock(running, owner.accessToken);
    const other = await registerLock(running, owner.accessToken);
    const client = await asLock(mosquitto.url, lock);
    // mqtt.js rejects a SUBACK with a refusal in it; the granted codes are on the error's packet.
    const granted = (filter: string) =>
      client.subscribeAsync(filter, { qos: 1 }).then(
        (grants) => grants.map((grant) => grant.qos),
        (error: { packet?: { granted?: number[] } }) => error.packet?.granted,
      );
    const filters = [running.topics.of(lock.deviceId, 'cmd'), running.topics.of(other.deviceId, 'cmd'), `${prefix}/+/cmd`, `${prefix}/${lock.deviceId}/#`, '#'];
    const grants = [];
    for (const filter of filters) grants.push(await granted(filter));
    expect(grants).toEqual([[1], [128], [128], [128], [128]]);
    await client.endAsync(true);
  });

  it("the api's own account cannot forge a lock's status", async (ctx) => {
    requireDynsecMosquitto(ctx);
    const { broker: mosquitto } = started();
    const watcher = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4, ...mosquitto.admin, reconnectPeriod: 0 });
    await watcher.subscribeAsync(`${prefix}/#`, { qos: 1 });
    const seen: string[] = [];
    const marker = new Promise<void>((resolve) => watcher.on('message', (topic) => (seen.push(topic), topic.endsWith('/cmd') && resolve())));
    const api = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4, ...mosquitto.api, reconnectPeriod: 0 });
    await api.publishAsync(`${prefix}/someone/status`, 'forged', { qos: 0 });
    // Published after, on the same connection: once it arrives, the forged one would have too.
    await api.publishAsync(`${prefix}/someone/cmd`, 'marker', { qos: 0 });
    await marker;
    expect(seen).toEqual([`${prefix}/someone/cmd`]);
    await Promise.all([api.endAsync(true), watcher.endAsync(true)]);
  });

  it('start-up creates missing lock accounts and deletes those of removed locks', async (ctx) => {
    requireDynsecMosquitto(ctx);
    const { broker: mosquitto } = started();
    const dataDir = mkdtempSync(join(tmpdir(), 'smartlock-reconcile-'));
    try {
      // Registered while the api kept no accounts: the broker does not know the lock yet.
      const before = await startTestApp({ ...mosquitto.apiEnv, MQTT_BROKER_ADMIN: 'none', DATA_DIR: dataDir });
      const user = await signUp(before.httpUrl, 'reconciled');
      const lock = await registerLock(before, user.accessToken);
      await before.stop();
      expect(await loginCode(mosquitto.url, lock.deviceId, lock.mqttPassword)).toBe(5);

      // A lock account whose lock is gone from the store (removed while the broker was away).
      const admin = new DynsecClient({ url: mosquitto.url, ...mosquitto.admin, log: createLogger('silent') });
      await admin.start();
      await admin.run([
        { command: 'createRole', rolename: 'smartlock-lock-ghost-lock' },
        { command: 'createClient', username: 'ghost-lock', password: 'ghost-password', clientid: 'ghost-lock', roles: [{ rolename: 'smartlock-lock-ghost-lock' }] },
      ]);
      expect(await loginCode(mosquitto.url, 'ghost-lock', 'ghost-password')).toBe(0);

      const after = await startTestApp({ ...mosquitto.apiEnv, DATA_DIR: dataDir });
      await after.stop();
      expect(await loginCode(mosquitto.url, lock.deviceId, lock.mqttPassword)).toBe(0);
      expect(await loginCode(mosquitto.url, 'ghost-lock', 'ghost-password')).toBe(5);
      // Accounts that are not a lock's are never touched.
      const [admins] = await admin.run([{ command: 'getClient', username: mosquitto.admin.username }]);
      expect(admins?.error).toBeUndefined();
      await admin.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to register a device id that names a broker account which is not a lock', async (ctx) => {
    requireDynsecMosquitto(ctx);
    const { app: running, broker: mosquitto } = started();
    const response = await gql(running.httpUrl, 'mutation ($d: ID!) { registerLock(deviceId: $d, name: "x") { mqttPassword } }', { d: mosquitto.admin.username }, owner.accessToken);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await loginCode(mosquitto.url, mosquitto.admin.username, mosquitto.admin.password, 'any-id')).toBe(0);
  });
});
