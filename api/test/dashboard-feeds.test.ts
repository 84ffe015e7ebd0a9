/**
 * Live dashboards (issue 17, item 4) through the real api, embedded broker and graphql-ws: with
 * per-lock feeds indexed by device id on the event bus, every feed still gets exactly the changes
 * of the locks its viewer may see (none of someone else's lock), and a per-lock feed is not ended
 * by a burst of other locks' changes that it used to have to queue and filter out.
 */
import type { Client } from 'graphql-ws';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVENTS_BEHIND } from '../src/events/memory-event-bus.js';
import { gql, SIGN_IN, signUp, wsClient, type AuthResult } from '../src/test-support/graphql-client.js';
import { LOCK_CHANGED, type LockEvent } from '../src/test-support/lock-operations.js';
import type { Registered } from '../src/test-support/locks.js';
import { onlineRawLock, publishStatus, signedStatus } from '../src/test-support/raw-lock.js';
import { subscribed, type Collected } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;
let admin: AuthResult;
const clients: Client[] = [];
const mqttClients: MqttClient[] = [];
/** Each lock's raw MQTT link and the next seq it sends. */
const locks = new Map<string, { lock: Registered; client: MqttClient; seq: number }>();

beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here' });
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
  admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'root password here' })).data!.signIn;
  for (const [name, owner] of [['a1', alice], ['a2', alice], ['b1', bob]] as const) {
    const { lock, client } = await onlineRawLock(app, owner.accessToken);
    locks.set(name, { lock, client, seq: 2 });
    mqttClients.push(client);
  }
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  for (const client of mqttClients) await client.endAsync(true).catch(() => undefined);
  await app.close();
});

const id = (name: string) => locks.get(name)!.lock.deviceId;

/** A dashboard's feed on a socket of its own, registered on the api's bus when this resolves. */
function feed(viewer: AuthResult, lock?: string): Promise<Collected<LockEvent>> {
  const client = wsClient(app.wsUrl, viewer.accessToken, { lazy: false });
  clients.push(client);
  return subscribed<LockEvent>(app.websocketOperations, client, LOCK_CHANGED, lock ? { d: id(lock) } : {});
}

/** A signed visible change of one lock, through its MQTT link. */
async function change(name: string, status: 'LOCKED' | 'UNLOCKED'): Promise<void> {
  const entry = locks.get(name)!;
  await publishStatus(app, entry.client, entry.lock, signedStatus(entry.lock, { seq: entry.seq++, status }));
}

const seen = (f: Collected<LockEvent>) => f.events.map((e) => `${e.deviceId}:${e.status}`);

describe('dashboard feeds', () => {
  it("give every viewer exactly the changes of the locks they may see, per lock and for all, and none of someone else's lock", async () => {
    const aliceA1 = await feed(alice, 'a1');
    const aliceAll = await feed(alice);
    const bobB1 = await feed(bob, 'b1');
    const bobOnAlicesLock = await feed(bob, 'a1');
    const bobAll = await feed(bob);
    const adminAll = await feed(admin);
    const adminB1 = await feed(admin, 'b1');

    await change('a1', 'UNLOCKED');
    await change('a2', 'UNLOCKED');
    await change('b1', 'UNLOCKED');
    await change('a1', 'LOCKED');
    await adminAll.waitFor((e) => e.deviceId === id('a1') && e.status === 'LOCKED', 10_000);
    await aliceAll.waitFor((e) => e.deviceId === id('a1') && e.status === 'LOCKED', 10_000);
    await bobB1.waitFor((e) => e.deviceId === id('b1') && e.status === 'UNLOCKED', 10_000);
    // A last change of bob's lock, after everything above: any stray event of alice's locks to bob would be in by then.
    await change('b1', 'LOCKED');
    await bobAll.waitFor((e) => e.deviceId === id('b1') && e.status === 'LOCKED', 10_000);
    await adminB1.waitFor((e) => e.deviceId === id('b1') && e.status === 'LOCKED', 10_000);

    const perLock = (events: string[], name: string) => events.filter((e) => e.startsWith(`${id(name)}:`));
    expect(seen(aliceA1)).toEqual([`${id('a1')}:UNLOCKED`, `${id('a1')}:LOCKED`]);
    expect(perLock(seen(aliceAll), 'a1')).toEqual([`${id('a1')}:UNLOCKED`, `${id('a1')}:LOCKED`]);
    expect(perLock(seen(aliceAll), 'a2')).toEqual([`${id('a2')}:UNLOCKED`]);
    expect(perLock(seen(aliceAll), 'b1')).toEqual([]);
    expect(seen(bobB1)).toEqual([`${id('b1')}:UNLOCKED`, `${id('b1')}:LOCKED`]);
    expect(seen(bobAll)).toEqual([`${id('b1')}:UNLOCKED`, `${id('b1')}:LOCKED`]);
    expect(seen(bobOnAlicesLock)).toEqual([]);
    expect(seen(adminB1)).toEqual([`${id('b1')}:UNLOCKED`, `${id('b1')}:LOCKED`]);
    expect(seen(adminAll)).toHaveLength(5); // a1, a2, b1, a1, b1
    for (const f of [aliceA1, aliceAll, bobB1, bobOnAlicesLock, bobAll, adminAll, adminB1]) expect(f.errors).toEqual([]);
  });

  it("keep a per-lock feed open through a burst of other locks' changes larger than a subscriber may queue", async () => {
    const aliceA1 = await feed(alice, 'a1');
    // A sweep marking a whole fleet in one synchronous run: more events than one subscriber may hold.
    const other = (await app.services.store.locks.findByDeviceId(id('a2')))!;
    for (let n = 0; n < MAX_EVENTS_BEHIND + 10; n += 1) app.services.events.publish('lock.changed', { ...other, deviceId: `burst-${n}` });
    await change('a1', 'UNLOCKED');
    await aliceA1.waitFor((e) => e.deviceId === id('a1') && e.status === 'UNLOCKED', 10_000);
    expect(aliceA1.errors).toEqual([]);
    expect(seen(aliceA1).every((e) => e.startsWith(`${id('a1')}:`))).toBe(true);
  });
});
