/**
 * A lock that changes hands loses its shares (issue 14 item 5, issue 15 item 1): alice shares her
 * lock with bob (guest) and carol (co-owner), offers it to dave, who accepts. Every share is gone,
 * bob's open subscription gets lockAccessLost SHARE_REVOKED within a second, and bob's and carol's
 * commands answer NOT_FOUND. The revocations are audited. An admin's reassignment ends them the same way.
 */
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp, wsClient, type AuthResult } from '../src/test-support/graphql-client.js';
import { UNLOCK } from '../src/test-support/lock-operations.js';
import { registerLock } from '../src/test-support/locks.js';
import { shareLock } from '../src/test-support/sharing-operations.js';
import { subscribed } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const OFFER = 'mutation ($d: ID!, $u: String!) { offerLockTransfer(deviceId: $d, toUsername: $u) { id } }';
const ACCEPT = 'mutation ($id: ID!) { acceptLockTransfer(offerId: $id) { lock { owner { username } } } }';
const ACCESS_LOST = 'subscription { lockAccessLost { deviceId reason } }';
const LOCKS = 'query { locks { deviceId } }';
const REASSIGN = 'mutation ($d: ID!, $u: String!) { reassignLock(deviceId: $d, username: $u) { deviceId } }';

let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;
let carol: AuthResult;
let dave: AuthResult;
let admin: AuthResult;
const sockets: Client[] = [];

beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here' });
  admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'root password here' })).data!.signIn;
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
  carol = await signUp(app.httpUrl, 'carol');
  dave = await signUp(app.httpUrl, 'dave');
});
afterAll(async () => {
  for (const client of sockets) await client.dispose();
  await app.close();
});

describe('shares when a lock changes hands', () => {
  it('acceptance revokes every share: guests drop the lock within 1 s, their commands answer NOT_FOUND', async () => {
    const lock = await registerLock(app, alice.accessToken);
    await shareLock(app.httpUrl, alice, lock.deviceId, 'bob', 'GUEST');
    await shareLock(app.httpUrl, alice, lock.deviceId, 'carol', 'CO_OWNER');
    const bobSocket = wsClient(app.wsUrl, bob.accessToken, { lazy: false });
    sockets.push(bobSocket);
    const lost = await subscribed<{ deviceId: string; reason: string }>(app.websocketOperations, bobSocket, ACCESS_LOST);

    const offer = await gql<{ offerLockTransfer: { id: string } }>(app.httpUrl, OFFER, { d: lock.deviceId, u: 'dave' }, alice.accessToken);
    const acceptedAt = Date.now();
    const accepted = await gql<{ acceptLockTransfer: { lock: { owner: { username: string } } } }>(app.httpUrl, ACCEPT, { id: offer.data?.offerLockTransfer.id }, dave.accessToken);
    expect(accepted.data?.acceptLockTransfer.lock.owner.username).toBe('dave');

    expect(await lost.waitFor((e) => e.deviceId === lock.deviceId, 1000)).toEqual({ deviceId: lock.deviceId, reason: 'SHARE_REVOKED' });
    expect(Date.now() - acceptedAt).toBeLessThan(1500);
    expect(await app.services.store.lockShares.listByDevice(lock.deviceId)).toEqual([]);
    for (const user of [bob, carol]) {
      expect(errorCodes(await gql(app.httpUrl, UNLOCK, { d: lock.deviceId }, user.accessToken))).toEqual(['NOT_FOUND']);
      const list = await gql<{ locks: { deviceId: string }[] }>(app.httpUrl, LOCKS, {}, user.accessToken);
      expect(list.data?.locks.map((l) => l.deviceId)).not.toContain(lock.deviceId);
    }
    const entries = await app.services.store.audit.query({ deviceId: lock.deviceId, action: 'lock.shareRevoked' }, { first: 10 });
    expect(entries.items.map((e) => e.detail).sort()).toEqual(['with bob: the lock changed hands', 'with carol: the lock changed hands']);
  });

  it("an admin's reassignment ends every share too: the guest is told within 1 s and loses the lock", async () => {
    const lock = await registerLock(app, alice.accessToken);
    await shareLock(app.httpUrl, alice, lock.deviceId, 'bob', 'GUEST');
    const bobSocket = wsClient(app.wsUrl, bob.accessToken, { lazy: false });
    sockets.push(bobSocket);
    const lost = await subscribed<{ deviceId: string; reason: string }>(app.websocketOperations, bobSocket, ACCESS_LOST);

    const reassignedAt = Date.now();
    expect((await gql(app.httpUrl, REASSIGN, { d: lock.deviceId, u: 'dave' }, admin.accessToken)).errors).toBeUndefined();
    expect(await lost.waitFor((e) => e.deviceId === lock.deviceId, 1000)).toEqual({ deviceId: lock.deviceId, reason: 'SHARE_REVOKED' });
    expect(Date.now() - reassignedAt).toBeLessThan(1500);
    expect(await app.services.store.lockShares.listByDevice(lock.deviceId)).toEqual([]);
    expect(errorCodes(await gql(app.httpUrl, UNLOCK, { d: lock.deviceId }, bob.accessToken))).toEqual(['NOT_FOUND']);
  });
});
