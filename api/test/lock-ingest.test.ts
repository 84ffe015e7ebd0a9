import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusJson, type StatusMessage } from '../src/devices/protocol/messages.js';
import { signPayload } from '../src/devices/protocol/signature.js';
import { createLogger } from '../src/app/logger.js';
import { createOfflineSweep } from '../src/offline/offline-sweep.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, type Registered } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let owner: AuthResult;

beforeAll(async () => {
  app = await startTestApp({ COMMAND_TIMEOUT_MS: '300' });
  owner = await signUp(app.httpUrl, 'owner');
});
afterAll(async () => {
  await app.close();
});

/** A hand-driven lock: connects with its credentials and publishes exactly what a test says. */
async function rawLock(lock: Registered, will = true): Promise<MqttClient> {
  const client = mqtt.connect(app.brokerUrl, {
    username: lock.mqttUsername,
    password: lock.mqttPassword,
    clientId: lock.deviceId,
    reconnectPeriod: 0,
    ...(will ? { will: { topic: app.topics.of(lock.deviceId, 'availability'), payload: Buffer.from('offline'), qos: 1 as const, retain: true } } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

function status(lock: Registered, fields: Partial<StatusMessage>, key = lock.deviceSecret): string {
  const message: StatusMessage = { v: 1, type: 'status', dev: lock.deviceId, boot: 1, seq: 1, status: 'LOCKED', ctr: 0, ts: Math.floor(Date.now() / 1000), ...fields };
  return signPayload(Buffer.from(key, 'hex'), statusJson(message));
}

async function publish(client: MqttClient, topic: string, payload: string | Buffer): Promise<void> {
  await client.publishAsync(topic, payload, { qos: 1 });
}

const stored = (deviceId: string) => app.services.store.locks.findByDeviceId(deviceId);
const dropped = async (reason: string) => {
  const text = await app.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_dropped_total');
  return Number(new RegExp(`reason="${reason}"} (\\d+)`).exec(text)?.[1] ?? 0);
};

describe('status ingest trusts only valid, fresh, signed messages', () => {
  it('accepts a valid status, then ignores forged, replayed and stale-ordered ones', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const client = await rawLock(lock);
    await publish(client, app.topics.of(lock.deviceId, 'status'), status(lock, { boot: 2, seq: 5, status: 'LOCKED' }));
    await eventually(async () => (await stored(lock.deviceId))?.state === 'AVAILABLE');

    const forgedBefore = await dropped('bad_signature');
    await publish(client, app.topics.of(lock.deviceId, 'status'), status(lock, { boot: 2, seq: 6, status: 'UNLOCKED' }, 'ab'.repeat(32)));
    await eventually(async () => (await dropped('bad_signature')) > forgedBefore);

    const replayBefore = await dropped('replay');
    await publish(client, app.topics.of(lock.deviceId, 'status'), status(lock, { boot: 2, seq: 5, status: 'UNLOCKED' }));
    await publish(client, app.topics.of(lock.deviceId, 'status'), status(lock, { boot: 1, seq: 99, status: 'UNLOCKED' }));
    await eventually(async () => (await dropped('replay')) >= replayBefore + 2);
    expect((await stored(lock.deviceId))?.status).toBe('LOCKED');

    await publish(client, app.topics.of(lock.deviceId, 'status'), status(lock, { boot: 3, seq: 1, status: 'UNLOCKED' }));
    await eventually(async () => (await stored(lock.deviceId))?.status === 'UNLOCKED');
    client.end(true);
  });

  it("ignores lock A's signed status published on lock B's topic", async () => {
    const a = await registerLock(app, owner.accessToken);
    const b = await registerLock(app, owner.accessToken);
    const clientB = await rawLock(b);
    const before = await dropped('bad_signature');
    // B may publish on its own topic; the payload is A's (signed with A's key, naming A).
    await publish(clientB, app.topics.of(b.deviceId, 'status'), status(a, { status: 'UNLOCKED' }));
    await eventually(async () => (await dropped('bad_signature')) > before);
    expect((await stored(b.deviceId))?.state).toBe('UNAVAILABLE');
    expect((await stored(a.deviceId))?.state).toBe('UNAVAILABLE');
    clientB.end(true);
  });

  it('drops malformed payloads, counts them and keeps serving', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const client = await rawLock(lock);
    const topic = app.topics.of(lock.deviceId, 'status');
    const valid = status(lock, { seq: 1 });
    const before = { malformed: await dropped('malformed'), size: await dropped('too_large_or_not_utf8') };
    await publish(client, topic, valid.slice(0, 40));
    await publish(client, topic, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    await publish(client, topic, status(lock, { seq: 1e20 }));
    await publish(client, topic, 'x'.repeat(1024 * 1024));
    await eventually(async () => (await dropped('malformed')) >= before.malformed + 2 && (await dropped('too_large_or_not_utf8')) >= before.size + 2);
    expect((await stored(lock.deviceId))?.state).toBe('UNAVAILABLE');
    // Still serving: the valid one is accepted after the garbage.
    await publish(client, topic, valid);
    await eventually(async () => (await stored(lock.deviceId))?.state === 'AVAILABLE');
    expect((await fetch(`http://127.0.0.1:${app.port}/healthz`)).status).toBe(200);
    client.end(true);
  });
});

describe('availability', () => {
  it('marks a lock Unavailable at once when its will arrives, and Available again only on a valid status', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const client = await rawLock(lock);
    await publish(client, app.topics.of(lock.deviceId, 'status'), status(lock, { seq: 1 }));
    await eventually(async () => (await stored(lock.deviceId))?.state === 'AVAILABLE');
    client.stream.destroy(); // a power cut: the broker publishes the will
    const offline = await eventually(async () => {
      const row = await stored(lock.deviceId);
      return row?.state === 'UNAVAILABLE' ? row : null;
    });
    expect(offline.issue).toBe('Connection lost');

    const back = await rawLock(lock);
    await publish(back, app.topics.of(lock.deviceId, 'availability'), 'online');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await stored(lock.deviceId))?.state).toBe('UNAVAILABLE'); // "online" alone proves nothing
    await publish(back, app.topics.of(lock.deviceId, 'status'), status(lock, { boot: 2, seq: 1 }));
    await eventually(async () => (await stored(lock.deviceId))?.state === 'AVAILABLE');
    expect((await stored(lock.deviceId))?.issue).toBeNull();
    back.end(true);
  });

  it('marks a silent lock Unavailable ("No heartbeat") at the sweep, and back on its next status', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const client = await rawLock(lock, false);
    await publish(client, app.topics.of(lock.deviceId, 'status'), status(lock, { seq: 1 }));
    await eventually(async () => (await stored(lock.deviceId))?.state === 'AVAILABLE');
    const sweepNow = (offsetMs: number) =>
      createOfflineSweep({
        store: app.services.store,
        flushHeartbeats: () => app.services.ingest.flush(),
        commands: app.services.commands,
        audit: app.services.audit,
        events: app.services.events,
        offlineAfterMs: 30_000,
        log: createLogger('silent'),
        now: () => Date.now() + offsetMs,
      })();
    await sweepNow(10_000);
    expect((await stored(lock.deviceId))?.state).toBe('AVAILABLE');
    await sweepNow(31_000);
    expect(await stored(lock.deviceId)).toMatchObject({ state: 'UNAVAILABLE', issue: 'No heartbeat' });
    await publish(client, app.topics.of(lock.deviceId, 'status'), status(lock, { seq: 2 }));
    await eventually(async () => (await stored(lock.deviceId))?.state === 'AVAILABLE');
    client.end(true);
  });
});

describe('command lifecycle', () => {
  it('times out a command the lock never acks', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const client = await rawLock(lock);
    await publish(client, app.topics.of(lock.deviceId, 'status'), status(lock, { seq: 1 }));
    await eventually(async () => (await stored(lock.deviceId))?.state === 'AVAILABLE');
    const received: string[] = [];
    client.on('message', (_topic, payload) => received.push(payload.toString()));
    await client.subscribeAsync(app.topics.of(lock.deviceId, 'cmd'), { qos: 1 });
    const sent = await gql<{ unlock: { id: string } }>(app.httpUrl, 'mutation ($d: ID!) { unlock(deviceId: $d) { id } }', { d: lock.deviceId }, owner.accessToken);
    const id = sent.data?.unlock.id ?? '';
    await eventually(async () => received.length === 1);
    expect(JSON.parse(received[0] ?? '{}')).toMatchObject({ v: 1, type: 'cmd', dev: lock.deviceId, id, action: 'UNLOCK', ctr: 1 });
    const timedOut = await eventually(async () => {
      const command = await app.services.store.commands.findById(id);
      return command?.state === 'TIMED_OUT' ? command : null;
    });
    expect(timedOut.reason).toBe('no ack from the lock');
    // A late ack changes nothing: the command is final.
    await publish(client, app.topics.of(lock.deviceId, 'status'), status(lock, { seq: 2, status: 'UNLOCKED', ctr: 1, ack: { id, result: 'ok' } }));
    await eventually(async () => (await stored(lock.deviceId))?.status === 'UNLOCKED');
    expect((await app.services.store.commands.findById(id))?.state).toBe('TIMED_OUT');
    client.end(true);
  });

  it('times out commands left SENT by a previous run when the api starts', async () => {
    const first = await startTestApp({ COMMAND_TIMEOUT_MS: '200' });
    const user = await signUp(first.httpUrl, 'restarter');
    const lock = await registerLock(first, user.accessToken);
    await first.services.store.commands.create({ id: 'left-behind', deviceId: lock.deviceId, action: 'UNLOCK', counter: 1, requestedBy: 'restarter' });
    await first.stop();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const second = await startTestApp({ COMMAND_TIMEOUT_MS: '200', DATA_DIR: first.dataDir });
    try {
      expect((await second.services.store.commands.findById('left-behind'))?.state).toBe('TIMED_OUT');
    } finally {
      await second.stop();
      await first.close();
    }
  });
});
