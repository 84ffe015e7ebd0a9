import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTime } from '../src/devices/protocol/verify.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, startLock, type Registered } from '../src/test-support/locks.js';
import { onlineRawLock, publishStatus, rawLock, signedStatus } from '../src/test-support/raw-lock.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let owner: AuthResult;

beforeAll(async () => {
  app = await startTestApp({ STATUS_MAX_SKEW_S: '120' });
  owner = await signUp(app.httpUrl, 'clockowner');
});
afterAll(async () => {
  await app.close();
});

const nowS = () => Math.floor(Date.now() / 1000);

const status = signedStatus;
const publish = (client: MqttClient, lock: Registered, payload: string) => publishStatus(app, client, lock, payload);
const stored = (deviceId: string) => app.services.store.locks.findByDeviceId(deviceId);
const dropped = async (reason: string) => {
  const text = await app.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_dropped_total');
  return Number(new RegExp(`reason="${reason}"} (\\d+)`).exec(text)?.[1] ?? 0);
};
const accepted = async () => {
  const text = await app.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_status_accepted_total');
  return [...text.matchAll(/} (\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
};

const onlineLock = () => onlineRawLock(app, owner.accessToken);

describe('status freshness (STATUS_MAX_SKEW_S)', () => {
  it('accepts statuses whose ts is within the skew, behind or ahead', async () => {
    const { lock, client } = await onlineLock();
    await publish(client, lock, status(lock, { seq: 2, status: 'UNLOCKED', ts: nowS() - 110 }));
    await eventually(async () => (await stored(lock.deviceId))?.status === 'UNLOCKED');
    await publish(client, lock, status(lock, { seq: 3, status: 'LOCKED', ts: nowS() + 110 }));
    await eventually(async () => (await stored(lock.deviceId))?.status === 'LOCKED');
    expect(await stored(lock.deviceId)).toMatchObject({ state: 'AVAILABLE', issue: null, lastSeq: 3 });
    client.end(true);
  });

  it('drops a correctly signed status 10 minutes old as stale, counted and audited, without changing the state shown', async () => {
    const { lock, client } = await onlineLock();
    const before = await dropped('stale');
    await publish(client, lock, status(lock, { seq: 2, status: 'UNLOCKED', ts: nowS() - 600 }));
    await eventually(async () => (await dropped('stale')) === before + 1);
    const row = await eventually(async () => {
      const current = await stored(lock.deviceId);
      return current?.issue === 'Clock out of sync' ? current : null;
    });
    expect(row).toMatchObject({ status: 'LOCKED', state: 'UNAVAILABLE', lastSeq: 1 });
    const audit = await app.services.store.audit.query({ deviceId: lock.deviceId, action: 'lock.messageDropped' }, { first: 10 });
    expect(audit.items.map((entry) => entry.result)).toContain('stale');
    client.end(true);
  });

  it('drops a status a year ahead as stale', async () => {
    const { lock, client } = await onlineLock();
    const before = await dropped('stale');
    await publish(client, lock, status(lock, { seq: 2, status: 'UNLOCKED', ts: nowS() + 365 * 24 * 3600 }));
    await eventually(async () => (await dropped('stale')) === before + 1);
    expect(await stored(lock.deviceId)).toMatchObject({ status: 'LOCKED', lastSeq: 1 });
    client.end(true);
  });

  it('drops statuses held back and released late even when plain heartbeats (the fast path)', async () => {
    const { lock, client } = await onlineLock();
    const before = { stale: await dropped('stale'), accepted: await accepted() };
    // Same visible state as stored: before freshness existed this was a coalesced heartbeat.
    await publish(client, lock, status(lock, { seq: 2, ts: nowS() - 300 }));
    await eventually(async () => (await dropped('stale')) === before.stale + 1);
    expect(await accepted()).toBe(before.accepted);
    client.end(true);
  });

  it('shows the owner "Clock out of sync" for a lock whose statuses are dropped as stale, and clears it on a fresh one', async () => {
    const { lock, client } = await onlineLock();
    await publish(client, lock, status(lock, { seq: 2, ts: nowS() - 600 }));
    const query = '{ locks { deviceId state issue status } }';
    const seen = async () => {
      const result = await gql<{ locks: { deviceId: string; state: string; issue: string | null; status: string }[] }>(app.httpUrl, query, {}, owner.accessToken);
      return result.data?.locks.find((entry) => entry.deviceId === lock.deviceId);
    };
    const outOfSync = await eventually(async () => ((await seen())?.issue === 'Clock out of sync' ? seen() : null));
    expect(outOfSync).toMatchObject({ state: 'UNAVAILABLE', status: 'LOCKED' });
    await publish(client, lock, status(lock, { seq: 3 }));
    const back = await eventually(async () => ((await seen())?.state === 'AVAILABLE' ? seen() : null));
    expect(back?.issue).toBeNull();
    client.end(true);
  });

  it('treats ts 0 (no time yet) as stale and answers with a signed time message echoing (boot, seq)', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const client = await rawLock(app, lock);
    const received: string[] = [];
    client.on('message', (_topic, payload) => received.push(payload.toString()));
    await client.subscribeAsync(app.topics.of(lock.deviceId, 'cmd'), { qos: 1 });
    const before = await dropped('stale');
    await publish(client, lock, status(lock, { boot: 4, seq: 7, ts: 0 }));
    await eventually(async () => received.length === 1);
    expect(await dropped('stale')).toBe(before + 1);
    expect(await stored(lock.deviceId)).toMatchObject({ state: 'UNAVAILABLE', issue: 'Clock out of sync', lastBoot: 0 });
    const verified = verifyTime(Buffer.from(lock.deviceSecret, 'hex'), received[0] ?? '', lock.deviceId);
    expect(verified.verdict).toBe('valid');
    if (verified.verdict !== 'valid') return;
    expect(verified.message).toMatchObject({ v: 1, type: 'time', dev: lock.deviceId, boot: 4, seq: 7 });
    expect(Math.abs(verified.message.ts - nowS())).toBeLessThanOrEqual(1);
    // Synced, the lock's next status is accepted.
    await publish(client, lock, status(lock, { boot: 4, seq: 8, ts: verified.message.ts }));
    await eventually(async () => (await stored(lock.deviceId))?.state === 'AVAILABLE');
    client.end(true);
  });

  it('a simulated lock with no time becomes Available once it takes the time the server sends', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const sim = await startLock(app, lock, { timeFromServer: true, clock: () => Date.now() - 3_600_000 });
    try {
      const row = await eventually(async () => {
        const current = await stored(lock.deviceId);
        return current?.state === 'AVAILABLE' ? current : null;
      });
      expect(row).toMatchObject({ issue: null, lastSeq: 2 }); // seq 1 (ts 0) was dropped, seq 2 carried the server's time
    } finally {
      await sim.stop({ graceful: true });
    }
  });

  it('sends the time to a lock whose accepted statuses drift more than 10 s', async () => {
    const { lock, client } = await onlineLock();
    const received: string[] = [];
    client.on('message', (_topic, payload) => received.push(payload.toString()));
    await client.subscribeAsync(app.topics.of(lock.deviceId, 'cmd'), { qos: 1 });
    await publish(client, lock, status(lock, { seq: 2, ts: nowS() - 50 })); // accepted (within 120 s), but drifting
    await eventually(async () => received.length === 1);
    expect(verifyTime(Buffer.from(lock.deviceSecret, 'hex'), received[0] ?? '', lock.deviceId)).toMatchObject({ verdict: 'valid', message: { boot: 1, seq: 2 } });
    expect(await stored(lock.deviceId)).toMatchObject({ state: 'AVAILABLE', issue: null });
    client.end(true);
  });
});

