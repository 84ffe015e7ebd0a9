/**
 * Protocol v3 negotiation against one api over its embedded broker
 * (docs/protocol.md §13): the server speaks 1, 2 and 3 and chooses the highest
 * in common; a lock stored as v3 is sent v3 messages with v2's keys; v2 locks
 * are untouched; a status in a version the lock was not welcomed into is
 * dropped (`not_negotiated`).
 */
import { once } from 'node:events';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKey } from '../src/devices/protocol/keys.js';
import { helloJson, statusV2Json } from '../src/devices/protocol/messages-v2.js';
import { signPayload } from '../src/devices/protocol/signature.js';
import { verifyFromServerV2 } from '../src/devices/protocol/verify-v2.js';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, UNLOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { registerLock, startLock } from '../src/test-support/locks.js';
import { publishStatus } from '../src/test-support/raw-lock.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let owner: AuthResult;
const sims: SimulatedLock[] = [];

beforeAll(async () => {
  app = await startTestApp({ COMMAND_TIMEOUT_MS: '3000' });
  owner = await signUp(app.httpUrl, 'owner');
});
afterAll(async () => {
  for (const sim of sims) await sim.stop({ graceful: true }).catch(() => undefined);
  await app.close();
});

const stored = (deviceId: string) => app.services.store.locks.findByDeviceId(deviceId);
const dropped = async (reason: string) => {
  const text = await app.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_dropped_total');
  return Number(new RegExp(`reason="${reason}"} (\\d+)`).exec(text)?.[1] ?? 0);
};

async function unlock(deviceId: string): Promise<CommandView> {
  const sent = await gql<{ unlock: { id: string } }>(app.httpUrl, UNLOCK, { d: deviceId }, owner.accessToken);
  const id = sent.data?.unlock.id;
  if (!id) throw new Error(`command failed: ${JSON.stringify(sent.errors)}`);
  return eventually(async () => {
    const view = (await gql<{ command: CommandView }>(app.httpUrl, COMMAND, { id }, owner.accessToken)).data?.command;
    return view && view.state !== 'SENT' ? view : null;
  });
}

async function simulated(protocol: 2 | 3): Promise<{ sim: SimulatedLock; deviceId: string }> {
  const lock = await registerLock(app, owner.accessToken);
  const sim = await startLock(app, lock, { protocol, door: 'CLOSED' });
  sims.push(sim);
  if (sim.protocolVersion === 1) await once(sim, 'negotiated');
  return { sim, deviceId: lock.deviceId };
}

/** A lock driven by hand: its hello, its statuses and what the server sends it. */
async function handLock() {
  const lock = await registerLock(app, owner.accessToken);
  const secret = Buffer.from(lock.deviceSecret, 'hex');
  const client = await mqtt.connectAsync(app.brokerUrl, { username: lock.deviceId, password: lock.mqttPassword, clientId: lock.deviceId, reconnectPeriod: 0 });
  const received: string[] = [];
  client.on('message', (_topic, payload) => received.push(payload.toString()));
  await client.subscribeAsync(app.topics.of(lock.deviceId, 'cmd'), { qos: 1 });
  const statusKey = deriveKey(secret, 'status');
  const hello = (boot: number, seq: number, vers: string) =>
    publishStatus(app, client, lock, signPayload(statusKey, helloJson({ v: 2, type: 'hello', dev: lock.deviceId, boot, seq, vers, ts: 0, fw: 'hand-3.0' })));
  const status = (v: 2 | 3, boot: number, seq: number) =>
    publishStatus(app, client, lock, signPayload(statusKey, statusV2Json({ v, type: 'status', dev: lock.deviceId, boot, seq, status: 'LOCKED', door: 'OPEN', src: 'MANUAL', ctr: 0, ts: Math.floor(Date.now() / 1000) })));
  const fromServer = (versions: readonly (2 | 3)[]) =>
    received.map((text) => verifyFromServerV2(deriveKey(secret, 'cmd'), text, lock.deviceId, ['welcome', 'cmd', 'time'], versions)).filter((v) => v.verdict === 'valid');
  return { lock, client, received, hello, status, fromServer };
}

describe('protocol v3 negotiation (docs/protocol.md §13)', () => {
  it('welcomes a lock offering 1,2,3 into v3 (the welcome itself is "v":2) and sends it v3 commands', async () => {
    const { lock, client, received, hello, status, fromServer } = await handLock();
    try {
      await hello(1, 1, '1,2,3');
      const [welcome] = await eventually(async () => (fromServer([2]).length === 1 ? fromServer([2]) : null));
      expect(welcome).toMatchObject({ message: { v: 2, type: 'welcome', ver: 3 } });
      expect(await stored(lock.deviceId)).toMatchObject({ protocolVersion: 3, protocolBoot: 1 });
      await status(3, 1, 2);
      await eventually(async () => (await stored(lock.deviceId))?.state === 'AVAILABLE');
      received.length = 0;
      await gql(app.httpUrl, UNLOCK, { d: lock.deviceId }, owner.accessToken);
      const [cmd] = await eventually(async () => (fromServer([3]).length > 0 ? fromServer([3]) : null));
      expect(cmd).toMatchObject({ message: { v: 3, type: 'cmd', action: 'UNLOCK' } });
      expect(fromServer([2])).toEqual([]); // nothing in v2 to a v3 lock
    } finally {
      await client.endAsync(true);
    }
  });

  it('stores v3 statuses (door, source) from a v3 lock and drops v2 ones in the same session; a v2-only lock is still welcomed into v2', async () => {
    const v3 = await handLock();
    const v2 = await handLock();
    try {
      await v3.hello(1, 1, '1,2,3');
      await eventually(async () => (await stored(v3.lock.deviceId))?.protocolVersion === 3);
      await v3.status(3, 1, 2);
      await eventually(async () => (await stored(v3.lock.deviceId))?.door === 'OPEN');
      const before = await dropped('not_negotiated');
      await v3.status(2, 1, 3);
      await eventually(async () => (await dropped('not_negotiated')) === before + 1);
      expect(await stored(v3.lock.deviceId)).toMatchObject({ lastSeq: 2 });

      await v2.hello(1, 1, '1,2');
      await eventually(async () => (await stored(v2.lock.deviceId))?.protocolVersion === 2);
      await v2.status(3, 1, 2); // v3 was never agreed with this lock
      await eventually(async () => (await dropped('not_negotiated')) === before + 2);
      expect(await stored(v2.lock.deviceId)).toMatchObject({ door: null });
    } finally {
      await v3.client.endAsync(true);
      await v2.client.endAsync(true);
    }
  });

  it('runs a simulated v3 lock and a simulated v2 lock side by side, each commanded in its own version', async () => {
    const [v3, v2] = [await simulated(3), await simulated(2)];
    expect(v3.sim.protocolVersion).toBe(3);
    expect(v2.sim.protocolVersion).toBe(2);
    await eventually(async () => (await stored(v3.deviceId))?.door === 'CLOSED' && (await stored(v2.deviceId))?.door === 'CLOSED');
    expect(await unlock(v3.deviceId)).toMatchObject({ state: 'SUCCEEDED' });
    expect(await unlock(v2.deviceId)).toMatchObject({ state: 'SUCCEEDED' });
    expect(await stored(v3.deviceId)).toMatchObject({ protocolVersion: 3, status: 'UNLOCKED', lastChangeSource: 'REMOTE' });
    expect(await stored(v2.deviceId)).toMatchObject({ protocolVersion: 2, status: 'UNLOCKED', lastChangeSource: 'REMOTE' });
  });
});
