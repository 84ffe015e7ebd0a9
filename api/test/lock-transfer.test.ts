/**
 * Ownership transfer over real HTTP and graphql-ws (issue 14 item 5): alice offers a lock, bob
 * accepts; alice's sessions drop the lock within a second, her pending command ends and nothing of
 * hers reaches the lock afterwards, bob's history starts at the transfer, and the lock's secret is
 * rotated over the air when it speaks v3 (otherwise bob is told to flash a new one). Also cancel,
 * decline, accept twice, one offer per lock, who may offer to whom, and the live notice.
 */
import { once } from 'node:events';
import type { Client } from 'graphql-ws';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { catchCommands } from '../src/test-support/command-catcher.js';
import { errorCodes, gql, SIGN_IN, signUp, wsClient, type AuthResult } from '../src/test-support/graphql-client.js';
import { UNLOCK } from '../src/test-support/lock-operations.js';
import { registerLock, startLock } from '../src/test-support/locks.js';
import { onlineRawLock } from '../src/test-support/raw-lock.js';
import { subscribed, eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const OFFER = 'mutation ($d: ID!, $u: String!) { offerLockTransfer(deviceId: $d, toUsername: $u) { id deviceId lockName fromUsername toUsername state expiresAt } }';
const CANCEL = 'mutation ($id: ID!) { cancelLockTransfer(offerId: $id) { id state } }';
const DECLINE = 'mutation ($id: ID!) { declineLockTransfer(offerId: $id) { id state } }';
const ACCEPT = 'mutation ($id: ID!) { acceptLockTransfer(offerId: $id) { lock { deviceId owner { username } secretRotation { state } } secret secretNote } }';
const OFFERS = 'query { lockTransferOffers { made { id deviceId lockName toUsername } received { id deviceId lockName fromUsername } } }';
const CHANGED = 'subscription { lockTransferChanged { id deviceId lockName fromUsername toUsername state } }';
const ACCESS_LOST = 'subscription { lockAccessLost { deviceId reason } }';
const LOCK = 'query ($d: ID!) { lock(deviceId: $d) { deviceId } }';
const COMMANDS = 'query ($d: ID!) { commands(deviceId: $d) { edges { node { id } } } }';
const AUDIT = 'query ($d: ID) { auditLog(filter: { deviceId: $d }, first: 100) { edges { node { action actor result detail } } } }';

interface Offer {
  id: string;
  deviceId: string;
  lockName: string;
  fromUsername: string;
  toUsername: string;
  state: string;
}
interface Acceptance {
  lock: { deviceId: string; owner: { username: string }; secretRotation: { state: string } | null };
  secret: 'OVER_THE_AIR' | 'NEEDS_NEW_SECRET';
  secretNote: string | null;
}
interface AuditNode {
  action: string;
  actor: string | null;
  result: string;
  detail: string | null;
}

let app: TestApp;
let admin: AuthResult;
let alice: AuthResult;
let bob: AuthResult;
let carol: AuthResult;
const sockets: Client[] = [];
const mqttClients: MqttClient[] = [];
let sim: SimulatedLock | undefined;

function socket(user: AuthResult): Client {
  const client = wsClient(app.wsUrl, user.accessToken, { lazy: false });
  sockets.push(client);
  return client;
}

async function offer(owner: AuthResult, deviceId: string, to: string): Promise<Offer> {
  const response = await gql<{ offerLockTransfer: Offer }>(app.httpUrl, OFFER, { d: deviceId, u: to }, owner.accessToken);
  if (!response.data) throw new Error(`offer failed: ${JSON.stringify(response.errors)}`);
  return response.data.offerLockTransfer;
}

async function auditOf(user: AuthResult, deviceId?: string): Promise<AuditNode[]> {
  const response = await gql<{ auditLog: { edges: { node: AuditNode }[] } }>(app.httpUrl, AUDIT, { d: deviceId ?? null }, user.accessToken);
  return response.data?.auditLog.edges.map((edge) => edge.node) ?? [];
}

beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here', COMMAND_TIMEOUT_MS: '60000' });
  admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'root password here' })).data!.signIn;
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
  carol = await signUp(app.httpUrl, 'carol');
});
afterAll(async () => {
  for (const client of sockets) await client.dispose();
  for (const client of mqttClients) client.end(true);
  await sim?.stop({ graceful: true }).catch(() => undefined);
  await app.close();
});

describe('transferring a lock', () => {
  it('offer, live notice, accept: the lock moves, alice loses it within 1 s, her pending command ends and nothing of hers reaches the lock', async () => {
    const { lock, client } = await onlineRawLock(app, alice.accessToken);
    mqttClients.push(client);
    const catcher = await catchCommands(app, client, lock);
    const bobNotices = await subscribed<Offer>(app.websocketOperations, socket(bob), CHANGED);
    const carolNotices = await subscribed<Offer>(app.websocketOperations, socket(carol), CHANGED);
    const aliceLost = await subscribed<{ deviceId: string; reason: string }>(app.websocketOperations, socket(alice), ACCESS_LOST);

    const made = await offer(alice, lock.deviceId, 'Bob');
    expect(made).toMatchObject({ deviceId: lock.deviceId, lockName: 'Front door', fromUsername: 'alice', toUsername: 'bob', state: 'OPEN' });
    expect(Date.parse((made as Offer & { expiresAt: string }).expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(await bobNotices.waitFor((o) => o.id === made.id, 1000)).toMatchObject({ state: 'OPEN', lockName: 'Front door', fromUsername: 'alice' });
    const bobsList = await gql<{ lockTransferOffers: { received: { id: string; lockName: string }[] } }>(app.httpUrl, OFFERS, {}, bob.accessToken);
    expect(bobsList.data?.lockTransferOffers.received).toEqual([{ id: made.id, deviceId: lock.deviceId, lockName: 'Front door', fromUsername: 'alice' }]);
    const alicesList = await gql<{ lockTransferOffers: { made: { id: string }[] } }>(app.httpUrl, OFFERS, {}, alice.accessToken);
    expect(alicesList.data?.lockTransferOffers.made.map((o) => o.id)).toEqual([made.id]);

    // Alice's unlock reaches the lock, which does not answer: it is pending when bob accepts.
    const pending = await gql<{ unlock: { id: string } }>(app.httpUrl, UNLOCK, { d: lock.deviceId }, alice.accessToken);
    await catcher.waitForCount(1);
    const acceptedAt = Date.now();
    const accepted = await gql<{ acceptLockTransfer: Acceptance }>(app.httpUrl, ACCEPT, { id: made.id }, bob.accessToken);
    expect(accepted.errors).toBeUndefined();
    // A v1 lock cannot take a secret over the air: bob is told to flash a new one.
    expect(accepted.data?.acceptLockTransfer).toMatchObject({ lock: { owner: { username: 'bob' }, secretRotation: null }, secret: 'NEEDS_NEW_SECRET' });
    expect(accepted.data?.acceptLockTransfer.secretNote).toContain('protocol v1');

    expect(await aliceLost.waitFor((e) => e.deviceId === lock.deviceId, 1000)).toEqual({ deviceId: lock.deviceId, reason: 'TRANSFERRED' });
    expect(Date.now() - acceptedAt).toBeLessThan(1000);
    expect(await bobNotices.waitFor((o) => o.id === made.id && o.state === 'ACCEPTED', 1000)).toBeTruthy();
    expect(errorCodes(await gql(app.httpUrl, LOCK, { d: lock.deviceId }, alice.accessToken))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(app.httpUrl, UNLOCK, { d: lock.deviceId }, alice.accessToken))).toEqual(['NOT_FOUND']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(catcher.received).toHaveLength(1);
    // Her pending command ended FAILED (the admin's trail shows it); a late ack changes nothing.
    const ended = (await auditOf(admin, lock.deviceId)).find((e) => e.action === 'command.unlock' && e.result === 'FAILED');
    expect(ended).toMatchObject({ actor: 'alice', detail: `${pending.data?.unlock.id}: the lock changed hands` });
    await catcher.ack(2, 1, { id: pending.data?.unlock.id ?? '', result: 'ok' });
    expect(await app.services.store.commands.findById(pending.data?.unlock.id ?? '')).toBeNull();

    // Bob's history starts at the transfer: none of alice's comings and goings, no commands.
    const bobsHistory = await auditOf(bob, lock.deviceId);
    expect(bobsHistory.map((e) => e.action)).toContain('lock.transferred');
    expect(bobsHistory.find((e) => e.action === 'lock.transferred')).toMatchObject({ actor: 'bob', detail: 'alice → bob' });
    expect(bobsHistory.filter((e) => ['lock.register', 'command.unlock', 'lock.transferOffered', 'lock.online'].includes(e.action))).toEqual([]);
    expect((await gql<{ commands: { edges: unknown[] } }>(app.httpUrl, COMMANDS, { d: lock.deviceId }, bob.accessToken)).data?.commands.edges).toEqual([]);
    // Alice keeps her own actions.
    expect((await auditOf(alice)).some((e) => e.action === 'lock.transferOffered' && e.detail?.startsWith('to bob'))).toBe(true);

    // Accepting twice, or declining afterwards: no longer open.
    expect(errorCodes(await gql(app.httpUrl, ACCEPT, { id: made.id }, bob.accessToken))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(app.httpUrl, DECLINE, { id: made.id }, bob.accessToken))).toEqual(['BAD_USER_INPUT']);
    expect(carolNotices.events).toEqual([]);
    for (const feed of [bobNotices, carolNotices, aliceLost]) feed.stop();
  });

  it('rotates the secret over the air when the lock speaks v3, audited for the new owner', async () => {
    const lock = await registerLock(app, alice.accessToken, undefined, 'Garage');
    sim = await startLock(app, lock, { protocol: 3, door: 'CLOSED' });
    if (sim.protocolVersion === 1) await once(sim, 'negotiated');
    await eventually(async () => {
      const row = await app.services.store.locks.findByDeviceId(lock.deviceId);
      return row?.state === 'AVAILABLE' && row.protocolVersion === 3;
    });
    const made = await offer(alice, lock.deviceId, 'bob');
    const accepted = await gql<{ acceptLockTransfer: Acceptance }>(app.httpUrl, ACCEPT, { id: made.id }, bob.accessToken);
    expect(accepted.data?.acceptLockTransfer).toMatchObject({ secret: 'OVER_THE_AIR', secretNote: null, lock: { owner: { username: 'bob' }, secretRotation: { state: 'SENT' } } });
    const row = await app.services.store.locks.findByDeviceId(lock.deviceId);
    expect(row?.secretPendingSealed).not.toBeNull();
    const rotation = (await auditOf(bob, lock.deviceId)).find((e) => e.action === 'lock.secretRotated' && e.result === 'started');
    expect(rotation).toMatchObject({ actor: 'bob' });
  });

  it('cancel and decline end an offer, which then cannot be accepted; the lock stays put', async () => {
    const lock = await registerLock(app, alice.accessToken);
    const cancelled = await offer(alice, lock.deviceId, 'carol');
    expect(errorCodes(await gql(app.httpUrl, CANCEL, { id: cancelled.id }, carol.accessToken))).toEqual(['NOT_FOUND']); // the recipient cannot cancel
    expect((await gql(app.httpUrl, CANCEL, { id: cancelled.id }, alice.accessToken)).data).toEqual({ cancelLockTransfer: { id: cancelled.id, state: 'CANCELLED' } });
    expect(errorCodes(await gql(app.httpUrl, ACCEPT, { id: cancelled.id }, carol.accessToken))).toEqual(['BAD_USER_INPUT']);

    const declined = await offer(alice, lock.deviceId, 'carol');
    expect(errorCodes(await gql(app.httpUrl, DECLINE, { id: declined.id }, alice.accessToken))).toEqual(['NOT_FOUND']); // the offerer cannot decline
    expect(errorCodes(await gql(app.httpUrl, ACCEPT, { id: declined.id }, alice.accessToken))).toEqual(['NOT_FOUND']); // nor accept her own
    expect((await gql(app.httpUrl, DECLINE, { id: declined.id }, carol.accessToken)).data).toEqual({ declineLockTransfer: { id: declined.id, state: 'DECLINED' } });
    expect(errorCodes(await gql(app.httpUrl, ACCEPT, { id: declined.id }, carol.accessToken))).toEqual(['BAD_USER_INPUT']);
    expect((await app.services.store.locks.findByDeviceId(lock.deviceId))?.owner).toBe('alice');
    const trail = (await auditOf(alice, lock.deviceId)).map((e) => e.action);
    expect(trail).toEqual(expect.arrayContaining(['lock.transferOffered', 'lock.transferCancelled', 'lock.transferDeclined']));
  });

  it('one open offer per lock; not to yourself, not to nobody; only the owner offers', async () => {
    const lock = await registerLock(app, alice.accessToken);
    await offer(alice, lock.deviceId, 'bob');
    expect(errorCodes(await gql(app.httpUrl, OFFER, { d: lock.deviceId, u: 'carol' }, alice.accessToken))).toEqual(['BAD_USER_INPUT']);
    const other = await registerLock(app, alice.accessToken);
    expect(errorCodes(await gql(app.httpUrl, OFFER, { d: other.deviceId, u: 'alice' }, alice.accessToken))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(app.httpUrl, OFFER, { d: other.deviceId, u: 'nobody-here' }, alice.accessToken))).toEqual(['BAD_USER_INPUT']);
    // Someone else's lock: as if it did not exist; an admin sees it but gives locks away with reassignLock.
    expect(errorCodes(await gql(app.httpUrl, OFFER, { d: other.deviceId, u: 'bob' }, carol.accessToken))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(app.httpUrl, OFFER, { d: other.deviceId, u: 'bob' }, admin.accessToken))).toEqual(['FORBIDDEN']);
  });
});
