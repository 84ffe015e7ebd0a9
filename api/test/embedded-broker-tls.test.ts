/**
 * Issue 11 item 1: the embedded broker's TLS listener with a pre-shared key per lock
 * (docs/protocol.md §12): PSK = HKDF(K, "tls-psk"), identity = device id, TLS 1.2. A lock is
 * served end to end over it; a wrong key, an unknown identity, a key rotated away and a removed
 * lock fail the handshake; a lock may not log in as another lock over its own PSK.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PSK_CIPHERS } from '../src/devices/broker/tls-psk-listener.js';
import { verifyCommand } from '../src/devices/protocol/verify.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { UNLOCK } from '../src/test-support/lock-operations.js';
import { registerLock, rotateLockSecret, type Registered } from '../src/test-support/locks.js';
import { publishStatus, signedStatus } from '../src/test-support/raw-lock.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { pskClientOptions, tlsPskOf as tlsPsk } from '../src/test-support/tls-psk.js';

let app: TestApp;
let owner: AuthResult;

beforeAll(async () => {
  app = await startTestApp();
  owner = await signUp(app.httpUrl, 'owner');
});
afterAll(async () => {
  await app.close();
});

interface TlsLogin {
  identity: string;
  psk: Buffer;
  username: string;
  password: string;
}

/** Connects over TLS-PSK; resolves with the client, or with the TLS error code / CONNACK refusal. */
function connectTls(login: TlsLogin): Promise<{ client?: MqttClient; error?: string; refusal?: number }> {
  const port = app.brokerTlsPort;
  if (port === undefined) throw new Error('no TLS listener');
  const client = mqtt.connect(`mqtts://127.0.0.1:${port}`, {
    username: login.username,
    password: login.password,
    clientId: login.username,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...pskClientOptions(login.identity, login.psk),
  });
  return new Promise((resolve) => {
    client.once('connect', () => resolve({ client }));
    client.once('error', (error: Error & { code?: string | number }) => {
      client.end(true);
      resolve(typeof error.code === 'number' ? { refusal: error.code } : { error: error.code ?? error.message });
    });
  });
}

/** A failed TLS handshake, as Node reports it (an OpenSSL error, or EPROTO for the peer's alert). */
const TLS_FAILURE = /^(ERR_SSL_\w+|EPROTO)$/;

const loginOf = (lock: Registered, psk = tlsPsk(lock.deviceSecret)): TlsLogin => ({ identity: lock.deviceId, psk, username: lock.mqttUsername, password: lock.mqttPassword });

const authRefusals = async () => {
  const text = await app.services.metrics.registry.getSingleMetricAsString('smartlock_broker_refused_total');
  return Number(/kind="auth"} (\d+)/.exec(text)?.[1] ?? 0);
};

describe('embedded broker: TLS with a pre-shared key per lock', () => {
  it('serves a lock end to end: its status is stored, a command reaches it signed', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const { client } = await connectTls(loginOf(lock));
    if (!client) throw new Error('not connected');
    try {
      await client.subscribeAsync(app.topics.of(lock.deviceId, 'cmd'), { qos: 1 });
      const command = new Promise<Buffer>((resolve) => client.once('message', (_topic, payload) => resolve(payload)));
      await publishStatus(app, client, lock, signedStatus(lock, { seq: 1 }));
      await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.state === 'AVAILABLE');

      const sent = await gql(app.httpUrl, UNLOCK, { d: lock.deviceId }, owner.accessToken);
      expect(sent.errors).toBeUndefined();
      const verified = verifyCommand(Buffer.from(lock.deviceSecret, 'hex'), (await command).toString(), lock.deviceId);
      expect(verified).toMatchObject({ verdict: 'valid', message: { action: 'UNLOCK' } });
    } finally {
      await client.endAsync(true);
    }
  });

  it('fails the handshake with a wrong key or an unknown identity, and counts it', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const before = await authRefusals();
    const wrongKey = await connectTls(loginOf(lock, Buffer.alloc(32, 1)));
    expect(wrongKey.client).toBeUndefined();
    expect(wrongKey.error).toMatch(TLS_FAILURE);
    const unknown = await connectTls({ ...loginOf(lock), identity: 'lock-nobody' });
    expect(unknown.client).toBeUndefined();
    expect(unknown.error).toMatch(TLS_FAILURE);
    await eventually(async () => (await authRefusals()) >= before + 2);
  });

  it("refuses a lock logging in as another lock over its own PSK, even with the other's password", async () => {
    const mine = await registerLock(app, owner.accessToken);
    const theirs = await registerLock(app, owner.accessToken);
    const attempt = await connectTls({ identity: mine.deviceId, psk: tlsPsk(mine.deviceSecret), username: theirs.mqttUsername, password: theirs.mqttPassword });
    expect(attempt.refusal).toBe(5);
  });

  it('stops taking a rotated key at once and takes the new one; a removed lock has no key', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const fresh = await rotateLockSecret(app, owner.accessToken, lock);
    expect((await connectTls(loginOf(lock))).error).toMatch(TLS_FAILURE);
    const renewed = await connectTls({ identity: lock.deviceId, psk: tlsPsk(fresh.deviceSecret), username: lock.deviceId, password: fresh.mqttPassword });
    expect(renewed.client).toBeDefined();
    await renewed.client?.endAsync(true);

    const removed = await gql(app.httpUrl, `mutation { removeLock(deviceId: "${lock.deviceId}") }`, {}, owner.accessToken);
    expect(removed.errors).toBeUndefined();
    expect((await connectTls({ identity: lock.deviceId, psk: tlsPsk(fresh.deviceSecret), username: lock.deviceId, password: fresh.mqttPassword })).error).toMatch(TLS_FAILURE);
  });

  it('knows the keys of locks registered before a restart (loaded at start-up)', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const restarted = await startTestApp({ DATA_DIR: app.dataDir, MQTT_TOPIC_PREFIX: app.topics.prefix });
    try {
      const port = restarted.brokerTlsPort;
      const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${port}`, {
        username: lock.mqttUsername,
        password: lock.mqttPassword,
        clientId: lock.deviceId,
        reconnectPeriod: 0,
        ...pskClientOptions(lock.deviceId, tlsPsk(lock.deviceSecret)),
      });
      await client.endAsync(true);
    } finally {
      await restarted.close();
    }
  });

  it.each(PSK_CIPHERS)('completes a handshake with OpenSSL (as docs/protocol.md §12 shows) using %s', async (cipher) => {
    const lock = await registerLock(app, owner.accessToken);
    const args = ['s_client', '-connect', `127.0.0.1:${app.brokerTlsPort}`, '-tls1_2', '-psk_identity', lock.deviceId, '-psk', tlsPsk(lock.deviceSecret).toString('hex'), '-cipher', cipher];
    // s_client ends when its stdin does; the handshake is done by then.
    const child = promisify(execFile)('openssl', args, { timeout: 10_000 });
    child.child.stdin?.end();
    const { stdout } = await child;
    expect(stdout).toMatch(new RegExp(`Cipher is ${cipher}`));
  });
});
