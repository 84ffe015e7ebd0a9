/**
 * Attack: after an owner rotates a lock's secret (say, the old one leaked), statuses and acks
 * signed with the old secret keep being accepted, because the ingest's cache of the lock's row
 * still holds the old sealed secret. Through an external broker (Mosquitto with dynamic security),
 * an old-key status arriving after the rotation must be dropped as a bad signature.
 *
 * The forged statuses are published by a test account allowed to publish anywhere under the
 * prefix: anyone who can get a message onto the lock's status topic (a session that outlived the
 * rotation on a broker whose accounts are kept by hand, a loose ACL).
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger.js';
import { DynsecClient } from '../../src/devices/broker/dynsec-client.js';
import { gql, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { registerLock } from '../../src/test-support/locks.js';
import { signedStatus } from '../../src/test-support/raw-lock.js';
import { eventually } from '../../src/test-support/subscriptions.js';
import { dynsecUnavailable, requireDynsecMosquitto, startDynsecMosquitto, type DynsecMosquitto } from '../../src/test-support/dynsec-mosquitto.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const prefix = `test-${randomUUID()}`;
let broker: DynsecMosquitto | undefined;
let app: TestApp | undefined;
let owner: AuthResult;
let forger: MqttClient | undefined;

beforeAll(async () => {
  if (dynsecUnavailable()) return;
  broker = await startDynsecMosquitto(prefix);
  const admin = new DynsecClient({ url: broker.url, ...broker.admin, log: createLogger('silent') });
  await admin.start();
  const password = randomUUID();
  await admin.run([
    { command: 'createRole', rolename: 'forger', acls: [{ acltype: 'publishClientSend', topic: `${prefix}/#`, allow: true }] },
    { command: 'createClient', username: 'forger', password, roles: [{ rolename: 'forger' }] },
  ]);
  await admin.stop();
  forger = await mqtt.connectAsync(broker.url, { username: 'forger', password, protocolVersion: 4, reconnectPeriod: 0 });
  app = await startTestApp(broker.apiEnv);
  owner = await signUp(app.httpUrl, 'owner');
});
afterAll(async () => {
  await forger?.endAsync(true);
  await app?.close();
  await broker?.stop();
});

const dropped = async (reason: string) => {
  const text = (await app?.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_dropped_total')) ?? '';
  return Number(new RegExp(`reason="${reason}"} (\\d+)`).exec(text)?.[1] ?? 0);
};

describe('an old-key status after rotation, through Mosquitto', () => {
  it('is dropped as a bad signature and changes nothing', async (ctx) => {
    requireDynsecMosquitto(ctx);
    if (!app || !forger) throw new Error('not started');
    const running = app;
    const lock = await registerLock(running, owner.accessToken);
    const topic = running.topics.of(lock.deviceId, 'status');
    const stored = () => running.services.store.locks.findByDeviceId(lock.deviceId);

    // The ingest caches the row (with the sealed secret) on the first accepted status.
    await forger.publishAsync(topic, signedStatus(lock, { seq: 1, status: 'LOCKED' }), { qos: 1 });
    await eventually(async () => (await stored())?.state === 'AVAILABLE');

    const rotated = await gql(running.httpUrl, `mutation { rotateDeviceSecret(deviceId: "${lock.deviceId}") { deviceSecret } }`, {}, owner.accessToken);
    expect(rotated.errors).toBeUndefined();

    const before = await dropped('bad_signature');
    await forger.publishAsync(topic, signedStatus(lock, { seq: 2, status: 'UNLOCKED' }), { qos: 1 });
    await eventually(async () => (await dropped('bad_signature')) > before);
    const after = await stored();
    expect(after?.status).toBe('LOCKED');
    expect(after?.lastSeq).toBe(1);
  });
});
