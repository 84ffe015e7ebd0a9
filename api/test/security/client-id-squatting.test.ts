/**
 * Attack: a stranger's lock logs in with its own credentials but with another lock's device id as
 * its MQTT client id, to hold that id while the victim is offline (the victim then gets "Identifier
 * rejected" on every reconnect) or to take over the victim's live session. Both brokers bind a
 * lock's client id to its username: the embedded one refuses and audits the attempt to the victim's
 * owner; Mosquitto's dynamic-security account carries the client id.
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { registerLock, type Registered } from '../../src/test-support/locks.js';
import { eventually } from '../../src/test-support/subscriptions.js';
import { startDynsecMosquitto, dynsecUnavailable, requireDynsecMosquitto, type DynsecMosquitto } from '../../src/test-support/dynsec-mosquitto.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const AUDIT = 'query ($f: AuditFilterInput) { auditLog(filter: $f, first: 20) { edges { node { action deviceId actor result detail } } } }';
type AuditNode = { action: string; deviceId: string | null; actor: string | null; result: string; detail: string | null };

/** Connects and resolves with the client, or rejects with the CONNACK code. */
function connect(url: string, lock: Registered, clientId: string, extra: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, { protocolVersion: 4, username: lock.mqttUsername, password: lock.mqttPassword, clientId, reconnectPeriod: 0, ...extra });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', (error: Error & { code?: number }) => {
      client.end(true);
      reject(Object.assign(new Error(error.message), { code: error.code }));
    });
  });
}

const refusalCode = (promise: Promise<MqttClient>) =>
  promise.then(
    (client) => {
      client.end(true);
      return 0;
    },
    (error: { code?: number }) => error.code,
  );

function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => (client.disconnected ? resolve() : client.once('close', () => resolve())));
}

async function auditOf(app: TestApp, token: string, deviceId: string): Promise<AuditNode[]> {
  const response = await gql<{ auditLog: { edges: { node: AuditNode }[] } }>(app.httpUrl, AUDIT, { f: { deviceId } }, token);
  return response.data?.auditLog.edges.map((edge) => edge.node) ?? [];
}

describe('on the embedded broker', () => {
  let app: TestApp;
  let victimOwner: AuthResult;
  let stranger: AuthResult;
  beforeAll(async () => {
    app = await startTestApp();
    victimOwner = await signUp(app.httpUrl, 'victim');
    stranger = await signUp(app.httpUrl, 'stranger');
  });
  afterAll(() => app?.close());

  it("refuses a lock that takes an offline lock's device id as client id, and audits it to the victim's owner", async () => {
    const victim = await registerLock(app, victimOwner.accessToken);
    const squatter = await registerLock(app, stranger.accessToken);

    expect(await refusalCode(connect(app.brokerUrl, squatter, victim.deviceId))).toBe(2);
    // The real lock still gets in with its own id.
    const real = await connect(app.brokerUrl, victim, victim.deviceId);
    real.end(true);

    const entries = await eventually(async () => {
      const found = (await auditOf(app, victimOwner.accessToken, victim.deviceId)).filter((entry) => entry.action === 'lock.clientIdClaimed');
      return found.length > 0 ? found : null;
    });
    expect(entries[0]).toMatchObject({ deviceId: victim.deviceId, actor: null, result: 'refused' });
    expect(entries[0]?.detail).toContain(squatter.deviceId);
    // The stranger does not learn about it on their own lock's feed as an entry on the victim.
    expect((await auditOf(app, stranger.accessToken, victim.deviceId)).length).toBe(0);
  });

  it("does not let a stranger's lock kick a live lock off", async () => {
    const victim = await registerLock(app, victimOwner.accessToken);
    const squatter = await registerLock(app, stranger.accessToken);
    const real = await connect(app.brokerUrl, victim, victim.deviceId);
    expect(await refusalCode(connect(app.brokerUrl, squatter, victim.deviceId))).toBe(2);
    // Still connected: a round trip on its own session proves it.
    await real.subscribeAsync(app.topics.of(victim.deviceId, 'cmd'), { qos: 1 });
    expect(real.connected).toBe(true);
    real.end(true);
  });

  it('refuses any client id other than the username, even an unused one', async () => {
    const lock = await registerLock(app, stranger.accessToken);
    expect(await refusalCode(connect(app.brokerUrl, lock, `${lock.deviceId}-2`))).toBe(2);
    expect(await refusalCode(connect(app.brokerUrl, lock, lock.deviceId))).toBe(0);
  });
});

describe('on Mosquitto with dynamic security', () => {
  let broker: DynsecMosquitto | undefined;
  let app: TestApp | undefined;
  let victimOwner: AuthResult;
  let stranger: AuthResult;
  beforeAll(async () => {
    if (dynsecUnavailable()) return;
    broker = await startDynsecMosquitto(`test-${randomUUID()}`);
    app = await startTestApp(broker.apiEnv);
    victimOwner = await signUp(app.httpUrl, 'victim');
    stranger = await signUp(app.httpUrl, 'stranger');
  });
  afterAll(async () => {
    await app?.close();
    await broker?.stop();
  });

  it("neither admits a stranger's lock under the victim's client id nor kicks the victim off", async (ctx) => {
    requireDynsecMosquitto(ctx);
    if (!app) throw new Error('no app');
    const victim = await registerLock(app, victimOwner.accessToken);
    const squatter = await registerLock(app, stranger.accessToken);
    const real = await connect(app.brokerUrl, victim, victim.deviceId);
    let kicked = false;
    void closed(real).then(() => (kicked = true));

    expect(await refusalCode(connect(app.brokerUrl, squatter, victim.deviceId))).toBe(5);
    // A round trip on the victim's session after the refusal: it was not taken over.
    await real.subscribeAsync(app.topics.of(victim.deviceId, 'cmd'), { qos: 1 });
    expect(kicked).toBe(false);
    real.end(true);
    // The squatter's own account still works with its own id.
    expect(await refusalCode(connect(app.brokerUrl, squatter, squatter.deviceId))).toBe(0);
  });
});
