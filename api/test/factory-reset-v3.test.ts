/**
 * Protocol v3 `reset` (docs/protocol.md §13, §15.5): a v3 lock that is factory-reset (the long
 * press) says so, signed, before it forgets K; the server releases it (the lock and its claim are
 * gone, audited `lock.factoryReset`) and its code claims it again. A stale reset is dropped.
 */
import { connect } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKey } from '../src/devices/protocol/keys.js';
import { resetJson } from '../src/devices/protocol/messages-v2.js';
import { mqttPassword, signPayload } from '../src/devices/protocol/signature.js';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { UnclaimedLock, type ClaimedCredentials } from '../src/simulator/unclaimed-lock.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, startLock } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const CLAIM = 'mutation ($c: String!, $n: String!) { claimLock(code: $c, name: $n) { deviceId owner { username } } }';

let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;
const running: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  app = await startTestApp();
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
});
afterAll(async () => {
  for (const thing of running) await thing.stop().catch(() => undefined);
  await app?.close();
});

async function unclaimed(identity?: UnclaimedLock['identity']): Promise<UnclaimedLock> {
  const lock = new UnclaimedLock({ brokerUrl: app.brokerUrl, topicPrefix: app.topics.prefix, helloEveryMs: 200, ...(identity ? { identity } : {}) });
  running.push(lock);
  await lock.start();
  await eventually(async () => app.services.claims.hellos.provenBy(lock.identity) !== null);
  return lock;
}

async function claimAndRun(token: string, lock: UnclaimedLock): Promise<{ sim: SimulatedLock; deviceId: string }> {
  const given = new Promise<ClaimedCredentials>((resolve) => lock.once('claimed', resolve));
  const response = await gql<{ claimLock: { deviceId: string } }>(app.httpUrl, CLAIM, { c: await lock.code(), n: 'Shed' }, token);
  const credentials = await given;
  await lock.stop();
  const sim = await startLock(app, { ...credentials, mqttUsername: credentials.deviceId, mqttPassword: '' }, { protocol: 3 });
  running.push({ stop: () => sim.stop({ graceful: false }) });
  return { sim, deviceId: response.data?.claimLock.deviceId ?? '' };
}

describe('v3 reset', () => {
  it('releases a factory-reset lock: gone from its owner, audited, and claimed again by its code', async () => {
    const box = await unclaimed();
    const { sim, deviceId } = await claimAndRun(alice.accessToken, box);
    await eventually(async () => (await app.services.store.locks.findByDeviceId(deviceId))?.protocolVersion === 3 && sim.protocolVersion === 3, 10_000);
    expect(await sim.factoryReset()).toBe(true);
    await eventually(async () => (await app.services.store.locks.findByDeviceId(deviceId)) === null, 10_000);
    expect(await app.services.store.claims.findByDeviceId(deviceId)).toBeNull();
    const entry = await eventually(async () => (await app.services.store.audit.query({ deviceId, action: 'lock.factoryReset' }, { first: 5 })).items[0]);
    expect(entry).toMatchObject({ actor: null, result: 'released' });
    const again = await unclaimed(box.identity);
    const claimed = await gql<{ claimLock: { owner: { username: string } } }>(app.httpUrl, CLAIM, { c: await again.code(), n: 'Shed' }, bob.accessToken);
    expect(claimed.data?.claimLock.owner.username).toBe('bob');
  });

  it('drops a stale reset: the lock stays', async () => {
    const lock = await registerLock(app, alice.accessToken);
    const sim = await startLock(app, lock, { protocol: 3 });
    await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.protocolVersion === 3, 10_000);
    await sim.stop({ graceful: true });
    const secret = Buffer.from(lock.deviceSecret, 'hex');
    const client = connect(app.brokerUrl, { username: lock.deviceId, password: mqttPassword(secret), clientId: lock.deviceId, reconnectPeriod: 0 });
    running.push({ stop: () => client.endAsync() });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    const stale = resetJson({ v: 3, type: 'reset', dev: lock.deviceId, boot: 99, seq: 1, ts: Math.floor(Date.now() / 1000) - 3600 });
    await client.publishAsync(app.topics.of(lock.deviceId, 'status'), signPayload(deriveKey(secret, 'status'), stale), { qos: 1 });
    await eventually(async () => (await app.services.store.audit.query({ deviceId: lock.deviceId, action: 'lock.messageDropped' }, { first: 5 })).items.length > 0, 5_000);
    expect(await app.services.store.locks.findByDeviceId(lock.deviceId)).not.toBeNull();
  });
});
