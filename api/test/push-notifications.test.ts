/**
 * Issue 12 item 15: web push. The push service is a real HTTP server on 127.0.0.1 that decrypts
 * each push with the browser keys of its subscription (RFC 8291) and checks its VAPID JWT
 * (RFC 8292), so what is asserted is what a phone would show. No internet.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { gql, errorCodes, SIGN_IN, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { LocalPushService, type BrowserSubscription } from '../src/test-support/local-push-service.js';
import { UNLOCK } from '../src/test-support/lock-operations.js';
import { registerLock, startLock, type Registered } from '../src/test-support/locks.js';
import { onlineRawLock, publishStatus, signedStatus } from '../src/test-support/raw-lock.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const SUBSCRIBE = `mutation ($s: PushSubscriptionInput!, $label: String!) { subscribePush(subscription: $s, deviceLabel: $label) { id endpoint deviceLabel } }`;
const DEVICES = '{ pushDevices { endpoint deviceLabel lastSuccessAt } }';
const SET_PREFERENCE = 'mutation ($d: ID, $k: PushKind!, $e: Boolean!) { setPushPreference(deviceId: $d, kind: $k, enabled: $e) { deviceId kind enabled } }';

let app: TestApp;
let push: LocalPushService;
let alice: AuthResult;
let bob: AuthResult;
let admin: AuthResult;
const sims: SimulatedLock[] = [];
let counter = 0;

beforeAll(async () => {
  push = new LocalPushService();
  await push.start();
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here', COMMAND_TIMEOUT_MS: '500', ALERT_BAD_SIGNATURES: '2', VAPID_SUBJECT: 'mailto:ops@locks.example' });
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
  admin = await signIn('root', 'root password here');
});
afterAll(async () => {
  for (const sim of sims) await sim.stop({ graceful: true }).catch(() => undefined);
  await app.close();
  await push.stop();
});
beforeEach(() => {
  push.received.length = 0;
});

async function signIn(username: string, password = 'correct horse battery'): Promise<AuthResult> {
  const response = await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username, password });
  if (!response.data?.signIn) throw new Error(`signIn failed: ${JSON.stringify(response.errors)}`);
  return response.data.signIn;
}

async function subscribe(token: string, label = 'Phone'): Promise<BrowserSubscription> {
  counter += 1;
  const browser = push.subscription(`browser-${counter}`);
  const response = await gql(app.httpUrl, SUBSCRIBE, { s: { endpoint: browser.endpoint, p256dh: browser.p256dh, auth: browser.auth }, label }, token);
  expect(response.errors).toBeUndefined();
  return browser;
}

async function v2Lock(token: string): Promise<{ lock: Registered; sim: SimulatedLock }> {
  const lock = await registerLock(app, token);
  const sim = await startLock(app, lock, { protocol: 2, door: 'CLOSED' });
  sims.push(sim);
  if (sim.protocolVersion !== 2) await once(sim, 'negotiated');
  await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.door === 'CLOSED');
  return { lock, sim };
}

/** Waits until `action` was audited for the lock (`count` times) and the notifier handled it. */
async function settled(deviceId: string | null, action: string, result?: string, count = 1): Promise<void> {
  await eventually(async () => {
    const page = await app.services.store.audit.query({ action, ...(deviceId ? { deviceId } : {}) }, { first: 20 });
    return page.items.filter((entry) => result === undefined || entry.result === result).length >= count;
  });
  await app.services.push.notifier.idle();
}

const payloads = (browser: BrowserSubscription) => push.for(browser.id).map((received) => received.payload);

describe('subscribing', () => {
  it('gives the VAPID public key and accepts a browser subscription, checking endpoint and keys', async () => {
    const key = (await gql<{ vapidPublicKey: string }>(app.httpUrl, '{ vapidPublicKey }')).data?.vapidPublicKey;
    expect(key).toBe(app.services.push.vapidPublicKey);
    expect(Buffer.from(key ?? '', 'base64url')).toHaveLength(65);

    const browser = push.subscription('checks');
    const keys = { p256dh: browser.p256dh, auth: browser.auth };
    const attempt = (s: Record<string, string>, label = 'Phone') => gql(app.httpUrl, SUBSCRIBE, { s, label }, alice.accessToken);
    expect(errorCodes(await attempt({ endpoint: 'http://push.example/x', ...keys }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await attempt({ endpoint: 'javascript:alert(1)', ...keys }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await attempt({ endpoint: browser.endpoint, p256dh: browser.auth, auth: browser.auth }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await attempt({ endpoint: browser.endpoint, p256dh: browser.p256dh, auth: 'short' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await attempt({ endpoint: browser.endpoint, ...keys }, ' '))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(app.httpUrl, SUBSCRIBE, { s: { endpoint: browser.endpoint, ...keys }, label: 'Phone' }))).toEqual(['UNAUTHENTICATED']);
    expect((await attempt({ endpoint: browser.endpoint, ...keys })).errors).toBeUndefined();
    expect((await gql<{ pushDevices: unknown[] }>(app.httpUrl, DEVICES, {}, alice.accessToken)).data?.pushDevices).toContainEqual({ endpoint: browser.endpoint, deviceLabel: 'Phone', lastSuccessAt: null });
    expect((await gql<{ unsubscribePush: boolean }>(app.httpUrl, 'mutation ($e: String!) { unsubscribePush(endpoint: $e) }', { e: browser.endpoint }, bob.accessToken)).data?.unsubscribePush).toBe(false);
    expect((await gql<{ unsubscribePush: boolean }>(app.httpUrl, 'mutation ($e: String!) { unsubscribePush(endpoint: $e) }', { e: browser.endpoint }, alice.accessToken)).data?.unsubscribePush).toBe(true);
  });

  it('lets a user choose per lock and kind, only for their own locks', async () => {
    const { lock } = { lock: await registerLock(app, alice.accessToken) };
    const set = (token: string, d: string | null, k: string, e: boolean) => gql(app.httpUrl, SET_PREFERENCE, { d, k, e }, token);
    expect((await set(alice.accessToken, lock.deviceId, 'JAMMED', false)).data).toEqual({ setPushPreference: { deviceId: lock.deviceId, kind: 'JAMMED', enabled: false } });
    expect(errorCodes(await set(bob.accessToken, lock.deviceId, 'JAMMED', false))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await set(alice.accessToken, null, 'JAMMED', false))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await set(alice.accessToken, lock.deviceId, 'NEW_SIGN_IN', false))).toEqual(['BAD_USER_INPUT']);
    const preferences = (await gql<{ pushPreferences: { deviceId: string | null; kind: string; enabled: boolean }[] }>(app.httpUrl, '{ pushPreferences { deviceId kind enabled } }', {}, alice.accessToken)).data?.pushPreferences ?? [];
    expect(preferences).toContainEqual({ deviceId: lock.deviceId, kind: 'JAMMED', enabled: false });
    expect(preferences).toContainEqual({ deviceId: lock.deviceId, kind: 'LOW_BATTERY', enabled: true });
    expect(preferences).toContainEqual({ deviceId: null, kind: 'NEW_SIGN_IN', enabled: true });
  });
});

describe('notifications', () => {
  it('tells the owner of a lock turned by hand, encrypted for their browser and signed with the VAPID key', async () => {
    const phone = await subscribe(alice.accessToken, "Alice's phone");
    const { lock, sim } = await v2Lock(alice.accessToken);
    await sim.turnByHand('UNLOCKED');
    await settled(lock.deviceId, 'lock.status', 'UNLOCKED');
    await eventually(async () => push.for(phone.id).length > 0);
    const [received] = push.for(phone.id);
    // One push: the lock coming up LOCKED at boot is nobody's doing and is not told.
    expect(push.for(phone.id)).toHaveLength(1);
    expect(received?.payload).toEqual({ title: 'Front door', body: 'Unlocked by hand', url: `/locks/${lock.deviceId}`, tag: `CHANGED_BY_HAND:${lock.deviceId}` });
    expect(received?.headers).toEqual({ ttl: 3600, urgency: 'normal', contentEncoding: 'aes128gcm' });
    expect(received?.vapid).toMatchObject({ publicKey: app.services.push.vapidPublicKey, subject: 'mailto:ops@locks.example' });
    expect(push.refused).toEqual([]);
    await eventually(async () => (await gql<{ pushDevices: { endpoint: string; lastSuccessAt: string | null }[] }>(app.httpUrl, DEVICES, {}, alice.accessToken)).data?.pushDevices.find((d) => d.endpoint === phone.endpoint)?.lastSuccessAt);
  });

  it('tells the owner when someone else unlocks, not the one who did it; and nothing when the owner turned that kind off', async () => {
    const phone = await subscribe(alice.accessToken);
    const adminPhone = await subscribe(admin.accessToken);
    const { lock, sim } = await v2Lock(alice.accessToken);
    expect((await gql(app.httpUrl, UNLOCK, { d: lock.deviceId }, admin.accessToken)).errors).toBeUndefined();
    await settled(lock.deviceId, 'lock.status', 'UNLOCKED');
    await eventually(async () => push.for(phone.id).length > 0);
    expect(payloads(phone)).toEqual([expect.objectContaining({ body: 'Unlocked by root', tag: `CHANGED_BY_OTHERS:${lock.deviceId}` })]);
    expect(push.for(adminPhone.id)).toEqual([]);

    await gql(app.httpUrl, SET_PREFERENCE, { d: lock.deviceId, k: 'CHANGED_BY_HAND', e: false }, alice.accessToken);
    await sim.turnByHand('LOCKED');
    await settled(lock.deviceId, 'lock.status', 'LOCKED', 2); // the first LOCKED was at boot
    expect(payloads(phone)).toHaveLength(1);
  });

  it('tells nobody else about a lock, except an admin for the kinds they turned on for it', async () => {
    const bobPhone = await subscribe(bob.accessToken);
    const alicePhone = await subscribe(alice.accessToken);
    const adminPhone = await subscribe(admin.accessToken);
    const { lock, sim } = await v2Lock(alice.accessToken);
    const adminChoice = await gql(app.httpUrl, SET_PREFERENCE, { d: lock.deviceId, k: 'CHANGED_BY_HAND', e: true }, admin.accessToken);
    expect(adminChoice.errors).toBeUndefined();
    await sim.turnByHand('UNLOCKED');
    await settled(lock.deviceId, 'lock.status', 'UNLOCKED');
    await eventually(async () => push.for(alicePhone.id).length > 0 && push.for(adminPhone.id).length > 0);
    expect(payloads(adminPhone)).toEqual([expect.objectContaining({ body: 'Unlocked by hand' })]);
    expect(push.for(bobPhone.id)).toEqual([]);
    // Turned off again: only the owner hears of the next one.
    await gql(app.httpUrl, SET_PREFERENCE, { d: lock.deviceId, k: 'CHANGED_BY_HAND', e: false }, admin.accessToken);
    await sim.turnByHand('LOCKED');
    await eventually(async () => push.for(alicePhone.id).length === 2);
    await app.services.push.notifier.idle();
    expect(push.for(adminPhone.id)).toHaveLength(1);
    expect(push.for(bobPhone.id)).toEqual([]);
  });

  it('tells the owner that a command failed (no answer from the lock)', async () => {
    const phone = await subscribe(alice.accessToken);
    const { lock } = await onlineRawLock(app, alice.accessToken);
    expect((await gql(app.httpUrl, UNLOCK, { d: lock.deviceId }, alice.accessToken)).errors).toBeUndefined();
    await settled(lock.deviceId, 'command.unlock', 'TIMED_OUT');
    await eventually(async () => push.for(phone.id).length > 0);
    expect(payloads(phone)).toEqual([expect.objectContaining({ title: 'Front door', body: 'Unlock by alice failed: no ack from the lock', tag: `COMMAND_FAILED:${lock.deviceId}` })]);
  });

  it('tells the owner of a jammed bolt, a low battery and a burst of forged messages, each once', async () => {
    const phone = await subscribe(alice.accessToken);
    const { lock, client } = await onlineRawLock(app, alice.accessToken);
    await publishStatus(app, client, lock, signedStatus(lock, { seq: 2, status: 'JAMMED', battery: 60 }));
    await settled(lock.deviceId, 'lock.status', 'JAMMED');
    await publishStatus(app, client, lock, signedStatus(lock, { seq: 3, status: 'JAMMED', battery: 20 }));
    await settled(lock.deviceId, 'lock.batteryLow');
    await publishStatus(app, client, lock, signedStatus(lock, { seq: 4, status: 'JAMMED', battery: 19 })); // same band: not news
    const forger = { ...lock, deviceSecret: 'ab'.repeat(32) };
    for (const seq of [5, 6]) await publishStatus(app, client, lock, signedStatus(forger, { seq }));
    await settled(lock.deviceId, 'lock.alertRaised', 'BAD_SIGNATURES');
    await eventually(async () => push.for(phone.id).length >= 3);
    client.end();
    expect(payloads(phone)).toEqual([
      expect.objectContaining({ body: 'Jammed: the bolt could not move', tag: `JAMMED:${lock.deviceId}` }),
      expect.objectContaining({ body: 'Battery low (20%): replace or charge it soon', tag: `LOW_BATTERY:${lock.deviceId}` }),
      expect.objectContaining({ body: 'Messages with bad signatures', tag: `FORGED_MESSAGES:${lock.deviceId}` }),
    ]);
    expect(push.for(phone.id).map((received) => received.headers.urgency)).toEqual(['high', 'low', 'high']);
  });

  it('tells a user of a new sign-in to their account on the browsers they already have', async () => {
    const carol = await signUp(app.httpUrl, 'carol');
    const phone = await subscribe(carol.accessToken);
    await signIn('carol');
    await settled(null, 'user.signIn', 'ok');
    await eventually(async () => push.for(phone.id).length > 0);
    expect(payloads(phone)).toEqual([expect.objectContaining({ title: 'New sign-in', url: '/' })]);
  });

  it('forgets a subscription the push service says is gone (410) and counts it', async () => {
    const phone = await subscribe(alice.accessToken);
    push.answer(phone.id, 410);
    const { lock, sim } = await v2Lock(alice.accessToken);
    await sim.turnByHand('UNLOCKED');
    await settled(lock.deviceId, 'lock.status', 'UNLOCKED');
    await eventually(async () => !(await app.services.store.push.listSubscriptions(alice.user.id)).some((s) => s.endpoint === phone.endpoint));
    expect(await app.services.metrics.registry.getSingleMetricAsString('smartlock_push_notifications_total')).toMatch(/result="gone"} [1-9]/);
  });
});

describe('signing out', () => {
  it('removes the subscriptions of that session only; signing out everywhere removes them all', async () => {
    const dave = await signUp(app.httpUrl, 'dave');
    const second = await signIn('dave');
    const first = await subscribe(dave.accessToken);
    const other = await subscribe(second.accessToken);
    const endpoints = async () => (await app.services.store.push.listSubscriptions(dave.user.id)).map((s) => s.endpoint);
    expect(await endpoints()).toEqual([first.endpoint, other.endpoint]);
    await gql(app.httpUrl, 'mutation ($r: String!) { signOut(refreshToken: $r) }', { r: second.refreshToken });
    expect(await endpoints()).toEqual([first.endpoint]);
    await subscribe(dave.accessToken);
    await gql(app.httpUrl, 'mutation { signOutEverywhere }', {}, dave.accessToken);
    expect(await endpoints()).toEqual([]);
  });
});
