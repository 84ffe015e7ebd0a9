/**
 * `lockAccessLost` over real graphql-ws sockets: the sessions that lose a lock (reassigned away, or
 * removed in another session) hear about it at once, and no one else does.
 */
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, SIGN_IN, signUp, wsClient, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock } from '../src/test-support/locks.js';
import { subscribed, type Collected } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const ACCESS_LOST = 'subscription ($d: ID) { lockAccessLost(deviceId: $d) { deviceId reason at } }';
const REASSIGN = 'mutation ($d: ID!, $u: String!) { reassignLock(deviceId: $d, username: $u) { deviceId } }';
const REMOVE = 'mutation ($d: ID!) { removeLock(deviceId: $d) }';

interface AccessLost {
  deviceId: string;
  reason: 'REMOVED' | 'REASSIGNED';
  at: string;
}

let app: TestApp;
let admin: AuthResult;
let erin: AuthResult;
let frank: AuthResult;
let grace: AuthResult;
const sockets: Client[] = [];

function session(user: AuthResult): Client {
  const client = wsClient(app.wsUrl, user.accessToken);
  sockets.push(client);
  return client;
}

/** Subscribes, and resolves once the server has registered the subscription. */
function listen(client: Client, variables: Record<string, unknown> = {}): Promise<Collected<AccessLost>> {
  return subscribed<AccessLost>(app.websocketOperations, client, ACCESS_LOST, variables);
}

/** Time for events that should not come to arrive anyway. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
}

beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here' });
  admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'root password here' })).data!.signIn;
  erin = await signUp(app.httpUrl, 'erin');
  frank = await signUp(app.httpUrl, 'frank');
  grace = await signUp(app.httpUrl, 'grace');
});
afterAll(async () => {
  for (const socket of sockets) await socket.dispose();
  await app.close();
});

describe('lockAccessLost', () => {
  it("reaches every session of the former owner when an admin reassigns the lock, and no one else's", async () => {
    const lock = await registerLock(app, erin.accessToken, 'erin-shed');
    const erinPhone = await listen(session(erin));
    const erinLaptop = await listen(session(erin), { d: lock.deviceId });
    const frankFeed = await listen(session(frank));
    const graceFeed = await listen(session(grace));
    const adminFeed = await listen(session(admin));

    const moved = await gql(app.httpUrl, REASSIGN, { d: lock.deviceId, u: 'frank' }, admin.accessToken);
    expect(moved.errors).toBeUndefined();

    const seen = await erinPhone.waitFor((e) => e.deviceId === lock.deviceId);
    expect(seen).toMatchObject({ deviceId: lock.deviceId, reason: 'REASSIGNED' });
    expect(Number.isNaN(Date.parse(seen.at))).toBe(false);
    expect(await erinLaptop.waitFor((e) => e.deviceId === lock.deviceId)).toMatchObject({ reason: 'REASSIGNED' });
    await settle();
    // The new owner gained it, an admin still sees it, and grace never could.
    expect(frankFeed.events).toEqual([]);
    expect(adminFeed.events).toEqual([]);
    expect(graceFeed.events).toEqual([]);
    expect(erinPhone.events).toHaveLength(1);
    for (const feed of [erinPhone, erinLaptop, frankFeed, graceFeed, adminFeed]) {
      expect(feed.errors).toEqual([]);
      feed.stop();
    }
  });

  it('reaches the owner’s other sessions when the owner removes the lock in one, and no other user', async () => {
    const lock = await registerLock(app, erin.accessToken, 'erin-gate');
    const other = await registerLock(app, erin.accessToken, 'erin-porch');
    const erinRemoving = await listen(session(erin));
    const erinOther = await listen(session(erin));
    const erinOnOtherLock = await listen(session(erin), { d: other.deviceId });
    const frankFeed = await listen(session(frank));
    const graceFeed = await listen(session(grace));

    const removed = await gql(app.httpUrl, REMOVE, { d: lock.deviceId }, erin.accessToken);
    expect(removed.data).toEqual({ removeLock: true });

    expect(await erinOther.waitFor((e) => e.deviceId === lock.deviceId)).toMatchObject({ reason: 'REMOVED' });
    // The session that removed it hears it too (harmless: it already dropped the lock).
    expect(await erinRemoving.waitFor((e) => e.deviceId === lock.deviceId)).toMatchObject({ reason: 'REMOVED' });
    await settle();
    expect(erinOnOtherLock.events).toEqual([]);
    expect(frankFeed.events).toEqual([]);
    expect(graceFeed.events).toEqual([]);
    for (const feed of [erinRemoving, erinOther, erinOnOtherLock, frankFeed, graceFeed]) feed.stop();
  });

  it("reaches an admin's sessions when a lock is removed (admins list every lock), and the former owner's when an admin removes it", async () => {
    const lock = await registerLock(app, grace.accessToken, 'grace-barn');
    const graceFeed = await listen(session(grace));
    const adminFeed = await listen(session(admin));
    const frankFeed = await listen(session(frank));

    expect((await gql(app.httpUrl, REMOVE, { d: lock.deviceId }, admin.accessToken)).data).toEqual({ removeLock: true });

    expect(await graceFeed.waitFor((e) => e.deviceId === lock.deviceId)).toMatchObject({ reason: 'REMOVED' });
    expect(await adminFeed.waitFor((e) => e.deviceId === lock.deviceId)).toMatchObject({ reason: 'REMOVED' });
    await settle();
    expect(frankFeed.events).toEqual([]);
    for (const feed of [graceFeed, adminFeed, frankFeed]) feed.stop();
  });
});
