/**
 * The Home Assistant bridge against a second Mosquitto (Home Assistant's broker), with an mqtt.js
 * client playing Home Assistant and simulated locks on the api's own broker: what Home Assistant
 * is shown, and that its commands really reach a lock through the signed command path.
 */
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, startLock, type Registered } from '../src/test-support/locks.js';
import { plainMosquittoUnavailable, startPlainMosquitto, type PlainMosquitto } from '../src/test-support/plain-mosquitto.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const PIN = '4321';
const P = 'homeassistant';
const ACTOR = 'Home Assistant (alice)';
const topicsOf = (deviceId: string) => {
  const base = `${P}/lock/smartlock_${deviceId}`;
  return { config: `${base}/config`, state: `${base}/state`, availability: `${base}/availability`, door: `${base}/door`, command: `${base}/set`, doorConfig: `${P}/binary_sensor/smartlock_${deviceId}_door/config` };
};

/** Home Assistant's side: every message on the discovery prefix, the latest per topic. */
class FakeHomeAssistant {
  readonly latest = new Map<string, string>();
  readonly seen: { topic: string; payload: string }[] = [];
  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload) => {
      this.latest.set(topic, payload.toString());
      this.seen.push({ topic, payload: payload.toString() });
    });
  }

  static async connect(broker: PlainMosquitto): Promise<FakeHomeAssistant> {
    const client = await connectAsync(broker.url, { username: broker.username, password: broker.password, reconnectPeriod: 0 });
    const ha = new FakeHomeAssistant(client);
    await client.subscribeAsync(`${P}/#`, { qos: 1 });
    return ha;
  }

  async until(topic: string, accept: (payload: string) => boolean, timeoutMs = 8000): Promise<string> {
    // Wrapped: an empty payload (a removal) is falsy, which `eventually` would take for "not yet".
    const found = await eventually(async () => {
      const payload = this.latest.get(topic);
      return payload !== undefined && accept(payload) ? { payload } : null;
    }, timeoutMs);
    return found.payload;
  }

  send(topic: string, payload: string, retain = false): Promise<unknown> {
    return this.client.publishAsync(topic, payload, { qos: 1, retain });
  }
}

const unavailable = plainMosquittoUnavailable();
let broker: PlainMosquitto;
let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;
let admin: AuthResult;
let ha: FakeHomeAssistant;
const sims: SimulatedLock[] = [];
let front: Registered;
let frontSim: SimulatedLock;
let bobs: Registered;
let bobsSim: SimulatedLock;

async function auditOf(deviceId: string): Promise<{ actor: string | null; action: string; result: string }[]> {
  const page = await app.services.store.audit.query({ deviceId }, { first: 100 });
  return page.items.map(({ actor, action, result }) => ({ actor, action, result }));
}

describe.skipIf(unavailable !== null)('Home Assistant bridge', () => {
  beforeAll(async () => {
    broker = await startPlainMosquitto();
    app = await startTestApp({
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD: 'root password here',
      HOMEASSISTANT_MQTT_URL: broker.url,
      HOMEASSISTANT_MQTT_USERNAME: broker.username,
      HOMEASSISTANT_MQTT_PASSWORD: broker.password,
      HOMEASSISTANT_USER: 'alice',
      HOMEASSISTANT_PIN: PIN,
    });
    alice = await signUp(app.httpUrl, 'alice');
    bob = await signUp(app.httpUrl, 'bob');
    const signIn = await gql<{ signIn: AuthResult }>(app.httpUrl, 'mutation { signIn(username: "root", password: "root password here") { accessToken } }');
    admin = signIn.data?.signIn as AuthResult;
    ha = await FakeHomeAssistant.connect(broker);
    // Bob's lock first: if anything leaked it, it would be there by the time alice's shows.
    bobs = await registerLock(app, bob.accessToken, `bobs-${Date.now()}`, 'Bob door');
    bobsSim = await startLock(app, bobs);
    sims.push(bobsSim);
    front = await registerLock(app, alice.accessToken, `front-${Date.now()}`, 'Front door');
    frontSim = await startLock(app, front, { protocol: 2 });
    sims.push(frontSim);
  }, 30_000);

  afterAll(async () => {
    for (const sim of sims) await sim.stop({ graceful: true }).catch(() => undefined);
    await ha?.client.endAsync();
    await app?.close();
    await broker?.stop();
  });

  it('publishes retained discovery for the lock with the fields Home Assistant needs', async () => {
    const t = topicsOf(front.deviceId);
    const config = JSON.parse(await ha.until(t.config, (p) => p !== '')) as Record<string, unknown>;
    expect(config).toMatchObject({
      unique_id: `smartlock_${front.deviceId}`,
      device: { identifiers: [`smartlock_${front.deviceId}`], name: 'Front door', manufacturer: 'Smartlock' },
      state_topic: t.state,
      command_topic: t.command,
      availability_topic: t.availability,
      payload_lock: 'LOCK',
      payload_unlock: 'UNLOCK',
      state_locked: 'LOCKED',
      state_unlocked: 'UNLOCKED',
      state_jammed: 'JAMMED',
      code_format: '^\\d{4}$',
    });
    expect(config.command_template).toContain('{{ code }}');
    await ha.until(t.availability, (p) => p === 'online');
    await ha.until(t.state, (p) => p === 'LOCKED');
    // A v2 lock reports its door: a binary_sensor of class door.
    const door = JSON.parse(await ha.until(t.doorConfig, (p) => p !== '')) as Record<string, unknown>;
    expect(door).toMatchObject({ device_class: 'door', state_topic: t.door, payload_on: 'OPEN', payload_off: 'CLOSED' });
    await ha.until(t.door, (p) => p === 'CLOSED');
  });

  it('exposes no lock of another user, and ignores commands for one', async () => {
    await ha.until(topicsOf(front.deviceId).config, (p) => p !== '');
    expect(ha.seen.filter((m) => m.topic.includes(bobs.deviceId))).toEqual([]);
    await ha.send(topicsOf(bobs.deviceId).command, JSON.stringify({ action: 'UNLOCK', code: PIN }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bobsSim.status).toBe('LOCKED');
    expect((await app.services.store.commands.listByDevice(bobs.deviceId, { first: 10 })).items).toEqual([]);
  });

  it('keeps the state and the door in step with the lock', async () => {
    const t = topicsOf(front.deviceId);
    await frontSim.turnByHand('UNLOCKED');
    await ha.until(t.state, (p) => p === 'UNLOCKED');
    await frontSim.setDoor('OPEN');
    await ha.until(t.door, (p) => p === 'OPEN');
    await frontSim.setDoor('CLOSED');
    await frontSim.turnByHand('LOCKED');
    await ha.until(t.state, (p) => p === 'LOCKED');
    await ha.until(t.door, (p) => p === 'CLOSED');
  });

  it('unlocks with the PIN through the signed command path, audited as Home Assistant (alice)', async () => {
    const t = topicsOf(front.deviceId);
    await ha.send(t.command, JSON.stringify({ action: 'UNLOCK', code: PIN }));
    await eventually(async () => frontSim.status === 'UNLOCKED');
    await ha.until(t.state, (p) => p === 'UNLOCKED');
    const command = (await app.services.store.commands.listByDevice(front.deviceId, { first: 1 })).items[0];
    expect(command).toMatchObject({ action: 'UNLOCK', requestedBy: ACTOR });
    await eventually(async () => (await app.services.store.commands.findById(command?.id ?? ''))?.state === 'SUCCEEDED');
    await eventually(async () => (await auditOf(front.deviceId)).some((e) => e.actor === ACTOR && e.action === 'command.unlock' && e.result === 'SUCCEEDED'));
    expect(await auditOf(front.deviceId)).toContainEqual({ actor: ACTOR, action: 'command.unlock', result: 'SENT' });
    // Locking needs no PIN (HA's template sends an empty code).
    await ha.send(t.command, JSON.stringify({ action: 'LOCK', code: '' }));
    await eventually(async () => frontSim.status === 'LOCKED');
    await ha.until(t.state, (p) => p === 'LOCKED');
  });

  it('drops malformed commands without sending anything', async () => {
    const before = (await app.services.store.commands.listByDevice(front.deviceId, { first: 100 })).items.length;
    for (const payload of ['garbage', '{"action":"OPEN","code":"4321"}', '{"action":"UNLOCK","code":4321}', 'x'.repeat(1000)]) {
      await ha.send(topicsOf(front.deviceId).command, payload);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await app.services.store.commands.listByDevice(front.deviceId, { first: 100 })).items).toHaveLength(before);
    expect(frontSim.status).toBe('LOCKED');
  });

  it('re-publishes everything when Home Assistant announces itself (birth message)', async () => {
    const t = topicsOf(front.deviceId);
    // As if Home Assistant's broker had lost the retained config.
    await ha.send(t.config, '', true);
    await ha.until(t.config, (p) => p === '');
    await ha.send(`${P}/status`, 'online');
    await ha.until(t.config, (p) => p !== '');
  });

  it('re-publishes after Home Assistant\'s broker restarts and loses its retained messages', async () => {
    await ha.client.endAsync();
    await broker.restart();
    ha = await FakeHomeAssistant.connect(broker);
    const t = topicsOf(front.deviceId);
    await ha.until(t.config, (p) => p !== '', 15_000);
    await ha.until(t.state, (p) => p === 'LOCKED');
  }, 20_000);

  it('clears discovery when a lock is removed or given to someone else', async () => {
    const back = await registerLock(app, alice.accessToken, `back-${Date.now()}`, 'Back door');
    const garage = await registerLock(app, alice.accessToken, `garage-${Date.now()}`, 'Garage');
    await ha.until(topicsOf(back.deviceId).config, (p) => p !== '');
    await ha.until(topicsOf(garage.deviceId).config, (p) => p !== '');
    const removed = await gql(app.httpUrl, 'mutation ($d: ID!) { removeLock(deviceId: $d) }', { d: back.deviceId }, alice.accessToken);
    expect(removed.errors).toBeUndefined();
    await ha.until(topicsOf(back.deviceId).config, (p) => p === '');
    const reassigned = await gql(app.httpUrl, 'mutation ($d: ID!, $u: String!) { reassignLock(deviceId: $d, username: $u) { deviceId } }', { d: garage.deviceId, u: 'bob' }, admin.accessToken);
    expect(reassigned.errors).toBeUndefined();
    await ha.until(topicsOf(garage.deviceId).config, (p) => p === '');
  });

  // Last: the lock-out it ends with lasts 15 minutes.
  it('refuses, audits and throttles wrong or missing PINs', async () => {
    const t = topicsOf(front.deviceId);
    const before = (await app.services.store.commands.listByDevice(front.deviceId, { first: 100 })).items.length;
    await ha.send(t.command, JSON.stringify({ action: 'UNLOCK', code: '0000' }));
    await eventually(async () => (await auditOf(front.deviceId)).some((e) => e.actor === ACTOR && e.result === 'WRONG_PIN'));
    await ha.send(t.command, 'UNLOCK');
    await eventually(async () => (await auditOf(front.deviceId)).some((e) => e.actor === ACTOR && e.result === 'MISSING_PIN'));
    for (const code of ['1111', '2222', '3333']) await ha.send(t.command, JSON.stringify({ action: 'UNLOCK', code }));
    await eventually(async () => (await auditOf(front.deviceId)).filter((e) => e.result === 'WRONG_PIN').length === 4);
    // Five wrong: now even the right PIN is refused.
    await ha.send(t.command, JSON.stringify({ action: 'UNLOCK', code: PIN }));
    await eventually(async () => (await auditOf(front.deviceId)).some((e) => e.actor === ACTOR && e.result === 'PIN_THROTTLED'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(frontSim.status).toBe('LOCKED');
    expect((await app.services.store.commands.listByDevice(front.deviceId, { first: 100 })).items).toHaveLength(before);
  });
});
