/**
 * Attack: a stolen or forgotten session keeps a live `lockChanged` feed after its owner signed out
 * everywhere, until the access token expires (15 min). The socket must close with 4403 within 1 s,
 * also when the sign-out happens on another replica; other viewers keep receiving.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { gql, SIGN_IN, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { untilLive } from '../../src/test-support/live-probe.js';
import type { LockEvent } from '../../src/test-support/lock-operations.js';
import { onlineRawLock, publishStatus, signedStatus } from '../../src/test-support/raw-lock.js';
import { collect } from '../../src/test-support/subscriptions.js';
import { oneApi, twoReplicas, type Topology } from '../../src/test-support/topologies.js';
import { watchedSocket } from '../../src/test-support/watched-socket.js';

const ADMIN = { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here' };
const RENAME = 'mutation ($d: ID!, $n: String!) { renameLock(deviceId: $d, name: $n) { name } }';
const LOCK_NAMES = 'subscription ($d: ID) { lockChanged(deviceId: $d) { deviceId name status } }';

let topology: Topology | null = null;
afterEach(async () => {
  await topology?.close();
  topology = null;
});

async function signOutEverywhereCutsTheFeed({ acting, watching }: Topology): Promise<void> {
  const root = (await gql<{ signIn: AuthResult }>(acting.httpUrl, SIGN_IN, { username: 'root', password: ADMIN.ADMIN_PASSWORD })).data!.signIn;
  const alice = await signUp(acting.httpUrl, 'alice');
  const { lock, client: device } = await onlineRawLock(acting, alice.accessToken);

  const aliceSocket = watchedSocket(watching.wsUrl, alice.accessToken);
  const rootSocket = watchedSocket(watching.wsUrl, root.accessToken);
  type Named = Pick<LockEvent, 'deviceId' | 'status'> & { name: string };
  const aliceFeed = collect<Named>(aliceSocket.client, LOCK_NAMES, { d: lock.deviceId });
  const rootFeed = collect<Named>(rootSocket.client, LOCK_NAMES);
  await untilLive(
    (n) => gql(acting.httpUrl, RENAME, { d: lock.deviceId, n: `probe ${n}` }, alice.accessToken),
    (n, ms) => [aliceFeed, rootFeed].map((feed) => feed.waitFor((e) => e.name === `probe ${n}`, ms)),
  );

  const signedOut = await gql(acting.httpUrl, 'mutation { signOutEverywhere }', {}, alice.accessToken);
  expect(signedOut.data).toEqual({ signOutEverywhere: true });
  expect(await aliceSocket.closedWithin(1000)).toBe(4403);

  // The lock moves: the admin still sees it, Alice's feed does not.
  await publishStatus(acting, device, lock, signedStatus(lock, { seq: 2, status: 'UNLOCKED' }));
  await rootFeed.waitFor((e) => e.deviceId === lock.deviceId && e.status === 'UNLOCKED');
  expect(aliceFeed.events.some((e) => e.status === 'UNLOCKED')).toBe(false);
  device.end(true);
  await aliceSocket.client.dispose();
  await rootSocket.client.dispose();
}

describe('an open subscription after "sign out everywhere"', () => {
  it('is closed with 4403 within 1 s on the same api', async () => {
    topology = await oneApi(ADMIN);
    await signOutEverywhereCutsTheFeed(topology);
  });

  it('is closed with 4403 within 1 s when the sign-out happens on another replica', async (ctx) => {
    topology = await twoReplicas(ADMIN);
    if (!topology) return ctx.skip('needs Redis');
    await signOutEverywhereCutsTheFeed(topology);
  });
});
