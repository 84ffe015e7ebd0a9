/**
 * Protocol v1 and v2 locks against one api over its embedded broker
 * (docs/protocol.md §11): negotiation, commands in each lock's version, v2
 * statuses stored with the door and the source, and a v2 status from a lock
 * that never said hello dropped.
 */
import { once } from 'node:events';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKey, mqttPasswordV2 } from '../src/devices/protocol/keys.js';
import { helloJson, statusV2Json } from '../src/devices/protocol/messages-v2.js';
import { verifyCommand, verifyTime } from '../src/devices/protocol/verify.js';
import { verifyFromServerV2 } from '../src/devices/protocol/verify-v2.js';
import { signPayload } from '../src/devices/protocol/signature.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, LOCK, UNLOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { publishStatus, signedStatus } from '../src/test-support/raw-lock.js';
import { registerLock, startLock, type Registered } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';

let app: TestApp;
let owner: AuthResult;
const sims: SimulatedLock[] = [];

beforeAll(async () => {
  app = await startTestApp({ COMMAND_TIMEOUT_MS: '2000' });
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

async function command(mutation: string, deviceId: string): Promise<CommandView> {
  const sent = await gql<{ unlock?: { id: string }; lock?: { id: string } }>(app.httpUrl, mutation, { d: deviceId }, owner.accessToken);
  const id = sent.data?.unlock?.id ?? sent.data?.lock?.id;
  if (!id) throw new Error(`command failed: ${JSON.stringify(sent.errors)}`);
  return eventually(async () => {
    const view = (await gql<{ command: CommandView }>(app.httpUrl, COMMAND, { id }, owner.accessToken)).data?.command;
    return view && view.state !== 'SENT' ? view : null;
  });
}

/** Resolves with the client once connected, or with the broker's refusal code. */
function connectAs(deviceId: string, password: string): Promise<{ client: mqtt.MqttClient; refusal?: number }> {
  const client = mqtt.connect(app.brokerUrl, { username: deviceId, password, clientId: deviceId, reconnectPeriod: 0 });
  return new Promise((resolve) => {
    client.once('connect', () => resolve({ client }));
    client.once('error', (error: Error & { code?: number }) => resolve({ client, refusal: error.code }));
  });
}

const CHANGE = 'query ($d: ID!) { lock(deviceId: $d) { door lastChangeSource lastChangedBy } }';
async function changeOf(deviceId: string): Promise<unknown> {
  return (await gql<{ lock: unknown }>(app.httpUrl, CHANGE, { d: deviceId }, owner.accessToken)).data?.lock;
}

async function startV2(lock: Registered): Promise<SimulatedLock> {
  const sim = await startLock(app, lock, { protocol: 2, door: 'CLOSED' });
  sims.push(sim);
  if (sim.protocolVersion !== 2) await once(sim, 'negotiated');
  return sim;
}

describe('a v1 lock and a v2 lock on one api', () => {
  it('negotiates v2 with the v2 lock only, and both run commands in their own version', async () => {
    const [v1Lock, v2Lock] = [await registerLock(app, owner.accessToken), await registerLock(app, owner.accessToken)];
    const v1 = await startLock(app, v1Lock);
    sims.push(v1);
    const v2 = await startV2(v2Lock);
    await eventually(async () => (await stored(v2Lock.deviceId))?.door === 'CLOSED');
    expect(await stored(v2Lock.deviceId)).toMatchObject({ protocolVersion: 2, state: 'AVAILABLE', lastChangeSource: 'BOOT', lastChangedBy: null });
    expect(await stored(v1Lock.deviceId)).toMatchObject({ protocolVersion: 1, state: 'AVAILABLE', door: null, lastChangeSource: null });

    const [v1Unlock, v2Unlock] = await Promise.all([command(UNLOCK, v1Lock.deviceId), command(UNLOCK, v2Lock.deviceId)]);
    expect(v1Unlock.state).toBe('SUCCEEDED');
    expect(v2Unlock.state).toBe('SUCCEEDED');
    expect(v1.status).toBe('UNLOCKED');
    expect(v2.status).toBe('UNLOCKED');
    expect(await stored(v2Lock.deviceId)).toMatchObject({ status: 'UNLOCKED', lastChangeSource: 'REMOTE', lastChangedBy: v2Unlock.id, door: 'CLOSED' });
    expect(await stored(v1Lock.deviceId)).toMatchObject({ status: 'UNLOCKED', protocolVersion: 1, lastChangeSource: null });
    expect(v1.protocolVersion).toBe(1);
    expect(await changeOf(v2Lock.deviceId)).toEqual({ door: 'CLOSED', lastChangeSource: 'REMOTE', lastChangedBy: 'owner' });
    expect(await changeOf(v1Lock.deviceId)).toEqual({ door: null, lastChangeSource: null, lastChangedBy: null });
  });

  it('stores a lock turned by hand and a door opened, and a LOCK into an open door is refused', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const sim = await startV2(lock);
    await sim.turnByHand('UNLOCKED');
    await eventually(async () => (await stored(lock.deviceId))?.status === 'UNLOCKED');
    expect(await stored(lock.deviceId)).toMatchObject({ lastChangeSource: 'MANUAL', lastChangedBy: null });
    await sim.setDoor('OPEN');
    await eventually(async () => (await stored(lock.deviceId))?.door === 'OPEN');
    expect(await command(LOCK, lock.deviceId)).toMatchObject({ state: 'REJECTED', reason: 'door_open' });
    expect(await stored(lock.deviceId)).toMatchObject({ status: 'UNLOCKED', door: 'OPEN', lastChangeSource: 'MANUAL' });
    expect(await changeOf(lock.deviceId)).toEqual({ door: 'OPEN', lastChangeSource: 'MANUAL', lastChangedBy: null });
  });

  it("names nobody for a command id of another lock (the id comes from the lock's own status)", async () => {
    const [victim, liar] = [await registerLock(app, owner.accessToken), await registerLock(app, owner.accessToken)];
    await startV2(victim);
    const victimUnlock = await command(UNLOCK, victim.deviceId);
    expect(await changeOf(victim.deviceId)).toMatchObject({ lastChangedBy: 'owner' });
    const { client, hello } = await handLock(liar);
    try {
      await hello(1, 1);
      await eventually(async () => (await stored(liar.deviceId))?.protocolVersion === 2);
      const secret = Buffer.from(liar.deviceSecret, 'hex');
      const claim = statusV2Json({ v: 2, type: 'status', dev: liar.deviceId, boot: 1, seq: 2, status: 'UNLOCKED', door: 'CLOSED', src: 'REMOTE', cid: victimUnlock.id, ctr: 0, ts: Math.floor(Date.now() / 1000) });
      await publishStatus(app, client, liar, signPayload(deriveKey(secret, 'status'), claim));
      await eventually(async () => (await stored(liar.deviceId))?.lastChangedBy === victimUnlock.id);
      expect(await changeOf(liar.deviceId)).toEqual({ door: 'CLOSED', lastChangeSource: 'REMOTE', lastChangedBy: null });
    } finally {
      await client.endAsync(true);
    }
  });

  it('sends a v2 lock its settings in a signed cfg and audits its ack; a v1 lock has none', async () => {
    const [v1Lock, v2Lock] = [await registerLock(app, owner.accessToken), await registerLock(app, owner.accessToken)];
    const sim = await startV2(v2Lock);
    const configured = once(sim, 'configured');
    const row = await stored(v2Lock.deviceId);
    if (!row) throw new Error('no row');
    const id = await app.services.lockConfig.send(row, { relock: 30, boot: 'STAY', lockOpen: 'ALLOW' }, 'owner');
    expect(await configured).toEqual([{ relock: 30, boot: 'STAY', lockOpen: 'ALLOW' }]);
    const audited = async (action: string) => (await app.services.store.audit.query({ deviceId: v2Lock.deviceId, action }, { first: 10 })).items;
    const [ack] = await eventually(async () => ((await audited('lock.configured')).length > 0 ? audited('lock.configured') : null));
    expect(ack).toMatchObject({ result: 'ok', detail: id, actor: null });
    expect(await audited('lock.configure')).toMatchObject([{ result: 'SENT', actor: 'owner' }]);
    // Its counter is the commands' counter: the next command still runs.
    expect(await command(UNLOCK, v2Lock.deviceId)).toMatchObject({ state: 'SUCCEEDED' });

    const v1 = await startLock(app, v1Lock);
    sims.push(v1);
    const v1Row = await stored(v1Lock.deviceId);
    if (!v1Row) throw new Error('no row');
    await expect(app.services.lockConfig.send(v1Row, { relock: 30, boot: 'STAY', lockOpen: 'ALLOW' }, 'owner')).rejects.toThrow(/does not speak protocol v2/);
  });

  it('logs a lock in with the v2 password, and drops a v2 status from a lock that never said hello', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const secret = Buffer.from(lock.deviceSecret, 'hex');
    const { client, refusal } = await connectAs(lock.deviceId, mqttPasswordV2(secret));
    expect(refusal).toBeUndefined();
    try {
      await publishStatus(app, client, lock, signedStatus(lock, { seq: 1 }));
      await eventually(async () => (await stored(lock.deviceId))?.state === 'AVAILABLE');
      const before = await dropped('not_negotiated');
      const v2Status = statusV2Json({ v: 2, type: 'status', dev: lock.deviceId, boot: 1, seq: 2, status: 'UNLOCKED', door: 'OPEN', src: 'MANUAL', ctr: 0, ts: Math.floor(Date.now() / 1000) });
      await publishStatus(app, client, lock, signPayload(deriveKey(secret, 'status'), v2Status));
      await eventually(async () => (await dropped('not_negotiated')) === before + 1);
      expect(await stored(lock.deviceId)).toMatchObject({ status: 'LOCKED', door: null, protocolVersion: 1, lastSeq: 1 });
    } finally {
      await client.endAsync(true);
    }
  });

  it('refuses the v2 password of a rotated secret and accepts the new one', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const oldPassword = mqttPasswordV2(Buffer.from(lock.deviceSecret, 'hex'));
    const rotated = await gql<{ rotateDeviceSecret: { deviceSecret: string } }>(app.httpUrl, 'mutation ($d: ID!) { rotateDeviceSecret(deviceId: $d) { deviceSecret } }', { d: lock.deviceId }, owner.accessToken);
    const newSecret = rotated.data?.rotateDeviceSecret.deviceSecret ?? '';
    const refused = await connectAs(lock.deviceId, oldPassword);
    refused.client.end(true);
    expect(refused.refusal).toBe(4);
    const accepted = await connectAs(lock.deviceId, mqttPasswordV2(Buffer.from(newSecret, 'hex')));
    expect(accepted.refusal).toBeUndefined();
    await accepted.client.endAsync(true);
  });

  it('refuses a broker login with a password derived from another lock', async () => {
    const [lock, other] = [await registerLock(app, owner.accessToken), await registerLock(app, owner.accessToken)];
    const { client, refusal } = await connectAs(lock.deviceId, mqttPasswordV2(Buffer.from(other.deviceSecret, 'hex')));
    expect(refusal).toBe(4);
    client.end(true);
  });
});

/** A registered lock driven by hand, listening on its cmd topic. */
async function handLock(registered?: Registered) {
  const lock = registered ?? (await registerLock(app, owner.accessToken));
  const secret = Buffer.from(lock.deviceSecret, 'hex');
  const { client } = await connectAs(lock.deviceId, lock.mqttPassword);
  const received: string[] = [];
  client.on('message', (_topic, payload) => received.push(payload.toString()));
  await client.subscribeAsync(app.topics.of(lock.deviceId, 'cmd'), { qos: 1 });
  const hello = (boot: number, seq: number, vers = '1,2', ts = 0) =>
    publishStatus(app, client, lock, signPayload(deriveKey(secret, 'status'), helloJson({ v: 2, type: 'hello', dev: lock.deviceId, boot, seq, vers, ts, fw: 'hand-2.0' })));
  const welcomes = () => received.map((text) => verifyFromServerV2(deriveKey(secret, 'cmd'), text, lock.deviceId, ['welcome'])).filter((v) => v.verdict === 'valid');
  return { lock, secret, client, received, hello, welcomes };
}

describe('hello and welcome (docs/protocol.md §11.3)', () => {
  it('welcomes a hello in the highest common version, stores it, then signs commands with the cmd key', async () => {
    const { lock, secret, client, received, hello, welcomes } = await handLock();
    try {
      await publishStatus(app, client, lock, signedStatus(lock, { boot: 4, seq: 1 }));
      await eventually(async () => (await stored(lock.deviceId))?.state === 'AVAILABLE');
      await hello(4, 2, '1,2', Math.floor(Date.now() / 1000)); // with the time: it stays Available
      const [welcome] = await eventually(async () => (welcomes().length === 1 ? welcomes() : null));
      expect(welcome).toMatchObject({ message: { v: 2, type: 'welcome', dev: lock.deviceId, ver: 2 } });
      expect(await stored(lock.deviceId)).toMatchObject({ protocolVersion: 2, protocolBoot: 4 });
      received.length = 0;
      await gql(app.httpUrl, UNLOCK, { d: lock.deviceId }, owner.accessToken);
      const [cmd] = await eventually(async () => (received.length > 0 ? received : null));
      expect(verifyFromServerV2(deriveKey(secret, 'cmd'), cmd ?? '', lock.deviceId, ['cmd'])).toMatchObject({ verdict: 'valid', message: { v: 2, action: 'UNLOCK' } });
      expect(verifyCommand(secret, cmd ?? '', lock.deviceId).verdict).toBe('bad_signature');
    } finally {
      await client.endAsync(true);
    }
  });

  it('keeps v1 for a lock offering only 1, and answers no hello that offers nothing it speaks', async () => {
    const { lock, client, hello, welcomes } = await handLock();
    try {
      const before = await dropped('bad_version');
      await hello(1, 1, '4,5');
      await eventually(async () => (await dropped('bad_version')) === before + 1);
      await hello(1, 2, '1');
      await eventually(async () => (welcomes().length === 1 ? welcomes() : null));
      expect(welcomes()[0]).toMatchObject({ message: { ver: 1 } });
      expect(await stored(lock.deviceId)).toMatchObject({ protocolVersion: 1 });
    } finally {
      await client.endAsync(true);
    }
  });

  it('drops a hello whose (boot, seq) is not above the last accepted status, without a welcome', async () => {
    const { lock, client, hello, welcomes } = await handLock();
    try {
      await publishStatus(app, client, lock, signedStatus(lock, { boot: 2, seq: 5 }));
      await eventually(async () => (await stored(lock.deviceId))?.lastSeq === 5);
      const before = await dropped('replay');
      await hello(2, 3);
      await eventually(async () => (await dropped('replay')) === before + 1);
      expect(welcomes()).toEqual([]);
      expect(await stored(lock.deviceId)).toMatchObject({ protocolVersion: 1 });
    } finally {
      await client.endAsync(true);
    }
  });

  it('shows a lock that says hello without the time (just booted) "Clock out of sync", so no command goes to it until it has the time', async () => {
    const { lock, client, hello, welcomes } = await handLock();
    try {
      await publishStatus(app, client, lock, signedStatus(lock, { boot: 4, seq: 1 }));
      await eventually(async () => (await stored(lock.deviceId))?.state === 'AVAILABLE');
      await hello(4, 2, '1,2', Math.floor(Date.now() / 1000)); // a reconnect within the boot: it has the time
      await eventually(async () => (welcomes().length === 1 ? welcomes() : null));
      expect(await stored(lock.deviceId)).toMatchObject({ state: 'AVAILABLE', issue: null });
      await hello(5, 1); // rebooted: ts 0
      await eventually(async () => (welcomes().length === 2 ? welcomes() : null));
      expect(await stored(lock.deviceId)).toMatchObject({ state: 'UNAVAILABLE', issue: 'Clock out of sync', protocolBoot: 5 });
      const refused = await gql(app.httpUrl, UNLOCK, { d: lock.deviceId }, owner.accessToken);
      expect(refused.errors?.[0]?.extensions?.code).toBe('LOCK_OFFLINE');
      // With the time (§7a), its next status is accepted and it takes commands again.
      await publishStatus(app, client, lock, signedStatus(lock, { boot: 5, seq: 2 }));
      await eventually(async () => (await stored(lock.deviceId))?.state === 'AVAILABLE');
    } finally {
      await client.endAsync(true);
    }
  });

  it('answers a rebooted v2 lock\'s timeless v1 status with a v1 time, which it can take before its welcome', async () => {
    const { lock, secret, client, received, hello, welcomes } = await handLock();
    try {
      await hello(1, 1);
      await eventually(async () => (welcomes().length === 1 ? welcomes() : null));
      expect(await stored(lock.deviceId)).toMatchObject({ protocolVersion: 2 });
      received.length = 0;
      // Rebooted: no clock yet, and v1 until a welcome (docs/protocol.md §11.3), so it reads only v1 messages.
      await publishStatus(app, client, lock, signedStatus(lock, { boot: 2, seq: 1, ts: 0 }));
      const [time] = await eventually(async () => (received.length > 0 ? received : null));
      expect(verifyTime(secret, time ?? '', lock.deviceId)).toMatchObject({ verdict: 'valid', message: { v: 1, type: 'time', boot: 2, seq: 1 } });
    } finally {
      await client.endAsync(true);
    }
  });

  it('sets a v2 lock back to v1 when a v1 status comes from a boot without a hello', async () => {
    const { lock, client, hello, welcomes } = await handLock();
    try {
      await hello(1, 1);
      await eventually(async () => (welcomes().length === 1 ? welcomes() : null));
      await publishStatus(app, client, lock, signedStatus(lock, { boot: 1, seq: 2 })); // before its welcome: still v2
      await eventually(async () => (await stored(lock.deviceId))?.lastSeq === 2);
      expect(await stored(lock.deviceId)).toMatchObject({ protocolVersion: 2 });
      await publishStatus(app, client, lock, signedStatus(lock, { boot: 2, seq: 1 })); // rebooted into v1-only firmware
      await eventually(async () => (await stored(lock.deviceId))?.lastBoot === 2);
      expect(await stored(lock.deviceId)).toMatchObject({ protocolVersion: 1, protocolBoot: 2 });
    } finally {
      await client.endAsync(true);
    }
  });
});
