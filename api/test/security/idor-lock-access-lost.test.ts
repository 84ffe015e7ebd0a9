/**
 * IDOR over `lockAccessLost` (the list in idor.test.ts names it): bob subscribes to alice's lock by
 * id and learns nothing when she removes it or an admin reassigns it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, SIGN_IN, signUp, wsClient, type AuthResult } from '../../src/test-support/graphql-client.js';
import { registerLock } from '../../src/test-support/locks.js';
import { subscribed } from '../../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const ACCESS_LOST = 'subscription ($d: ID) { lockAccessLost(deviceId: $d) { deviceId reason } }';
const REMOVE = 'mutation ($d: ID!) { removeLock(deviceId: $d) }';
const REASSIGN = 'mutation ($d: ID!, $u: String!) { reassignLock(deviceId: $d, username: $u) { deviceId } }';

let app: TestApp;
let admin: AuthResult;
let alice: AuthResult;
let bob: AuthResult;

beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here' });
  admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'root password here' })).data!.signIn;
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
});
afterAll(async () => {
  await app.close();
});

describe('IDOR: Subscription.lockAccessLost', () => {
  it("for alice's locks: bob hears nothing when she removes one or an admin reassigns one", async () => {
    const removed = await registerLock(app, alice.accessToken);
    const reassigned = await registerLock(app, alice.accessToken);
    const own = await registerLock(app, bob.accessToken);
    const client = wsClient(app.wsUrl, bob.accessToken, { lazy: false });
    try {
      const spyingRemoved = await subscribed(app.websocketOperations, client, ACCESS_LOST, { d: removed.deviceId });
      const spyingReassigned = await subscribed(app.websocketOperations, client, ACCESS_LOST, { d: reassigned.deviceId });
      const everything = await subscribed(app.websocketOperations, client, ACCESS_LOST);
      const marker = await subscribed<{ deviceId: string }>(app.websocketOperations, client, ACCESS_LOST, { d: own.deviceId });

      await gql(app.httpUrl, REMOVE, { d: removed.deviceId }, alice.accessToken);
      await gql(app.httpUrl, REASSIGN, { d: reassigned.deviceId, u: 'root' }, admin.accessToken);
      // Bob's own removal comes after both: once he hears it, theirs would have arrived.
      await gql(app.httpUrl, REMOVE, { d: own.deviceId }, bob.accessToken);
      await marker.waitFor((event) => event.deviceId === own.deviceId);

      expect(spyingRemoved.events).toEqual([]);
      expect(spyingReassigned.events).toEqual([]);
      expect(everything.events).toEqual([{ deviceId: own.deviceId, reason: 'REMOVED' }]);
      expect([...spyingRemoved.errors, ...spyingReassigned.errors]).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});
