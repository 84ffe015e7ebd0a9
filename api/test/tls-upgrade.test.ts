/**
 * Issue 11 item 3: locks already installed keep working on the plain port; a lock's first login
 * over TLS-PSK sets its `tlsRequired`, after which its plain logins are refused and audited on the
 * lock for its owner; MQTT_REQUIRE_TLS refuses every lock's plain login; the start-up log names
 * the locks that have never used TLS.
 */
import { Writable } from 'node:stream';
import mqtt from 'mqtt';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditService } from '../src/audit/audit.service.js';
import { LockTransport } from '../src/devices/lock-transport.js';
import { signUp } from '../src/test-support/graphql-client.js';
import { registerLock, rotateLockSecret, type Registered } from '../src/test-support/locks.js';
import { publishStatus, signedStatus } from '../src/test-support/raw-lock.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { pskClientOptions, tlsPskOf } from '../src/test-support/tls-psk.js';

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});
async function started(env: Record<string, string> = {}): Promise<TestApp> {
  const app = await startTestApp(env);
  apps.push(app);
  return app;
}

/** CONNACK code of a login (0: accepted, then closed), on the plain port or over TLS-PSK. */
async function loginCode(app: TestApp, lock: Registered, overTls: boolean): Promise<number | undefined> {
  const tls = pskClientOptions(lock.deviceId, tlsPskOf(lock.deviceSecret));
  const url = overTls ? `mqtts://127.0.0.1:${app.brokerTlsPort}` : app.brokerUrl;
  try {
    const client = await mqtt.connectAsync(url, { username: lock.mqttUsername, password: lock.mqttPassword, clientId: lock.deviceId, reconnectPeriod: 0, ...(overTls ? tls : {}) });
    await client.endAsync(true);
    return 0;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

const auditActions = async (app: TestApp, deviceId: string) =>
  (await app.services.store.audit.query({ deviceId }, { first: 50 })).items.map((entry) => entry.action);

describe('moving installed locks to TLS', () => {
  it("keeps plain logins for a lock until its first TLS login, then refuses them and tells its owner", async () => {
    const app = await started();
    const owner = await signUp(app.httpUrl, 'owner');
    const lock = await registerLock(app, owner.accessToken);
    const other = await registerLock(app, owner.accessToken);

    expect(await loginCode(app, lock, false)).toBe(0);
    expect(await loginCode(app, lock, true)).toBe(0);
    expect((await app.services.store.locks.findByDeviceId(lock.deviceId))?.tlsRequired).toBe(true);
    expect(await loginCode(app, lock, false)).toBe(5);
    expect(await loginCode(app, lock, true)).toBe(0);
    // Another lock that has not moved yet is not affected.
    expect(await loginCode(app, other, false)).toBe(0);

    await eventually(async () => {
      const actions = await auditActions(app, lock.deviceId);
      return actions.includes('lock.tlsRequired') && actions.includes('lock.plainLoginRefused');
    });
    // Rate-limited: a reconnect loop does not flood the owner's history.
    expect(await loginCode(app, lock, false)).toBe(5);
    expect((await auditActions(app, lock.deviceId)).filter((action) => action === 'lock.plainLoginRefused')).toHaveLength(1);

    // Not even a rotation gives the plain port back.
    const renewed = await rotateLockSecret(app, owner.accessToken, lock);
    expect(await loginCode(app, renewed, false)).toBe(5);
    expect(await loginCode(app, renewed, true)).toBe(0);
  });

  it('with MQTT_REQUIRE_TLS refuses every plain lock login, while TLS locks work end to end', async () => {
    const app = await started({ MQTT_REQUIRE_TLS: 'true' });
    const owner = await signUp(app.httpUrl, 'owner');
    const lock = await registerLock(app, owner.accessToken);
    expect(await loginCode(app, lock, false)).toBe(5);

    const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${app.brokerTlsPort}`, {
      username: lock.mqttUsername,
      password: lock.mqttPassword,
      clientId: lock.deviceId,
      reconnectPeriod: 0,
      ...pskClientOptions(lock.deviceId, tlsPskOf(lock.deviceSecret)),
    });
    try {
      // The api's own connection to its broker is plain (on this host) and still carries the status.
      await publishStatus(app, client, lock, signedStatus(lock, { seq: 1 }));
      await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.state === 'AVAILABLE');
    } finally {
      await client.endAsync(true);
    }
  });

  it('names at start-up the locks that have never logged in over TLS', async () => {
    const app = await started();
    const owner = await signUp(app.httpUrl, 'owner');
    const moved = await registerLock(app, owner.accessToken);
    const plain = await registerLock(app, owner.accessToken);
    expect(await loginCode(app, moved, true)).toBe(0);

    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }));
    const transport = new LockTransport({ store: app.services.store, audit: new AuditService(app.services.store.audit, log), log, requireTls: false });
    expect(await transport.logStillPlain()).toEqual([plain.deviceId]);
    const line = JSON.parse(lines.find((text) => text.includes('never logged in over TLS')) ?? '{}') as { deviceIds?: string[]; count?: number };
    expect(line).toMatchObject({ count: 1, deviceIds: [plain.deviceId] });
  });
});
