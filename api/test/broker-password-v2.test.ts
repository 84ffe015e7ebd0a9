/**
 * Mosquitto's dynamic security holds one password per lock (docs/protocol.md §11.1): the api moves
 * a lock's account to the v2 password when the lock is welcomed into v2, so K keys nothing for a v2
 * lock there either; a lock that missed that welcome gets in with its second password; a rotation
 * starts the lock over at v1 (the way back for firmware that went back to v1-only).
 */
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mqttPasswordV2 } from '../src/devices/protocol/keys.js';
import { mqttPassword } from '../src/devices/protocol/signature.js';
import { MemoryCounterStore } from '../src/simulator/counter-store.js';
import { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { dynsecUnavailable, requireDynsecMosquitto, startDynsecMosquitto, type DynsecMosquitto } from '../src/test-support/dynsec-mosquitto.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, UNLOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { registerLock, rotateLockSecret, type Registered } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const prefix = `test-${randomUUID()}`;
let broker: DynsecMosquitto | undefined;
let app: TestApp | undefined;
let owner: AuthResult;
const sims: SimulatedLock[] = [];

beforeAll(async () => {
  if (dynsecUnavailable()) return;
  broker = await startDynsecMosquitto(prefix);
  app = await startTestApp({ ...broker.apiEnv, COMMAND_TIMEOUT_MS: '5000' });
  owner = await signUp(app.httpUrl, 'owner');
});
afterAll(async () => {
  for (const sim of sims) await sim.stop({ graceful: true }).catch(() => undefined);
  await app?.close();
  await broker?.stop();
});

function started(): { app: TestApp; broker: DynsecMosquitto } {
  if (!app || !broker) throw new Error('not started');
  return { app, broker };
}

/** The CONNACK code: 0 accepted (the client is then closed), 4/5 refused. */
async function loginCode(url: string, deviceId: string, password: string): Promise<number | undefined> {
  try {
    const client = await mqtt.connectAsync(url, { protocolVersion: 4, username: deviceId, password, clientId: deviceId, reconnectPeriod: 0 });
    await client.endAsync(true);
    return 0;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

async function unlock(running: TestApp, deviceId: string): Promise<CommandView> {
  const sent = await gql<{ unlock: { id: string } }>(running.httpUrl, UNLOCK, { d: deviceId }, owner.accessToken);
  const id = sent.data?.unlock.id;
  if (!id) throw new Error(JSON.stringify(sent.errors));
  return eventually(async () => {
    const view = (await gql<{ command: CommandView }>(running.httpUrl, COMMAND, { id }, owner.accessToken)).data?.command;
    return view && view.state !== 'SENT' ? view : null;
  });
}

/** A v2 simulated lock, counting the welcomes into v2 it takes (one per connection). */
async function startV2Lock(running: TestApp, lock: Registered, state = new MemoryCounterStore()): Promise<{ sim: SimulatedLock; welcomes: () => number }> {
  const sim = new SimulatedLock({
    brokerUrl: running.brokerUrl,
    deviceId: lock.deviceId,
    deviceSecret: lock.deviceSecret,
    topicPrefix: running.topics.prefix,
    heartbeatMs: 60_000,
    state,
    protocol: 2,
  });
  let welcomes = 0;
  sim.on('negotiated', (version) => {
    if (version === 2) welcomes += 1;
  });
  sims.push(sim);
  await sim.start();
  return { sim, welcomes: () => welcomes };
}

/**
 * Connected and speaking v2 after at least `n` welcomes, and AVAILABLE in the api (its status after
 * the welcome was ingested: a command before that would meet LOCK_OFFLINE).
 */
async function settled(running: TestApp, lock: { sim: SimulatedLock; welcomes: () => number }, n: number): Promise<void> {
  await eventually(() => Promise.resolve(lock.sim.connected && lock.sim.protocolVersion === 2 && lock.welcomes() >= n ? true : null), 15_000);
  await eventually(async () => ((await running.services.store.locks.findByDeviceId(lock.sim.deviceId))?.state === 'AVAILABLE' ? true : null), 15_000);
}

describe('broker passwords follow the negotiated version on Mosquitto (dynsec)', () => {
  it('moves the account to the v2 password at the first v2 welcome; the lock logs back in with it', async (ctx) => {
    requireDynsecMosquitto(ctx);
    const { app: running, broker: mosquitto } = started();
    const lock = await registerLock(running, owner.accessToken);
    const secret = Buffer.from(lock.deviceSecret, 'hex');
    expect(lock.mqttPassword).toBe(mqttPassword(secret));

    // Never welcomed: the lock logs in with v1, says hello, is welcomed into v2, and its session
    // ends when the account moves to the v2 password; it reconnects with that one.
    const v2 = await startV2Lock(running, lock);
    await settled(running, v2, 2);
    expect((await running.services.store.locks.findByDeviceId(lock.deviceId))?.protocolVersion).toBe(2);
    expect((await unlock(running, lock.deviceId)).state).toBe('SUCCEEDED');

    await v2.sim.stop({ graceful: true });
    expect(await loginCode(mosquitto.url, lock.deviceId, mqttPassword(secret))).toBe(5);
    expect(await loginCode(mosquitto.url, lock.deviceId, mqttPasswordV2(secret))).toBe(0);
  });

  it('a lock that missed its welcome (it tries v1 first) gets in at its second attempt, with v2', async (ctx) => {
    requireDynsecMosquitto(ctx);
    const { app: running } = started();
    const lock = await registerLock(running, owner.accessToken);
    // One device: its boot counter outlives the restart (a hello from boot 1 again would be a replay).
    const counters = new MemoryCounterStore();
    const first = await startV2Lock(running, lock, counters);
    await settled(running, first, 2);
    await first.sim.stop({ graceful: true });

    // A new SimulatedLock remembers no welcome: v1 is refused, then v2 is accepted.
    const second = await startV2Lock(running, lock, counters);
    await settled(running, second, 1);
    expect((await unlock(running, lock.deviceId)).state).toBe('SUCCEEDED');
  });

  it('a rotation starts over at v1: the returned password logs in, the version is 1 until the next hello', async (ctx) => {
    requireDynsecMosquitto(ctx);
    const { app: running, broker: mosquitto } = started();
    const lock = await registerLock(running, owner.accessToken);
    const v2 = await startV2Lock(running, lock);
    await settled(running, v2, 2);
    await v2.sim.stop({ graceful: true });

    const fresh = await rotateLockSecret(running, owner.accessToken, lock);
    expect((await running.services.store.locks.findByDeviceId(lock.deviceId))?.protocolVersion).toBe(1);
    // A v1-only firmware flashed with the new secret gets in.
    expect(await loginCode(mosquitto.url, lock.deviceId, fresh.mqttPassword)).toBe(0);
    expect(await loginCode(mosquitto.url, lock.deviceId, mqttPasswordV2(Buffer.from(fresh.deviceSecret, 'hex')))).toBe(5);
  });
});
