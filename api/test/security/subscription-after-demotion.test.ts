/**
 * Attack: an admin demoted to USER keeps the all-locks `lockChanged` feed and `auditAppended`
 * about other users' locks on a socket opened while an admin. The socket must close with 4403
 * within 1 s, also when the demotion happens on another replica; other admins keep receiving, and
 * the same token reconnects with a USER's view.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { gql, SIGN_IN, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { untilLive } from '../../src/test-support/live-probe.js';
import { registerLock } from '../../src/test-support/locks.js';
import { collect } from '../../src/test-support/subscriptions.js';
import { oneApi, twoReplicas, type Topology } from '../../src/test-support/topologies.js';
import { watchedSocket } from '../../src/test-support/watched-socket.js';

const ADMIN = { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here' };
const SET_ROLE = 'mutation ($u: String!, $r: Role!) { setUserRole(username: $u, role: $r) { role } }';
const RENAME = 'mutation ($d: ID!, $n: String!) { renameLock(deviceId: $d, name: $n) { name } }';
const ALL_LOCKS = 'subscription { lockChanged { deviceId name } }';
const AUDIT_FEED = 'subscription { auditAppended { action deviceId detail } }';

interface Named {
  deviceId: string;
  name: string;
}
interface Audited {
  action: string;
  deviceId: string | null;
  detail: string | null;
}

let topology: Topology | null = null;
afterEach(async () => {
  await topology?.close();
  topology = null;
});

function feeds(url: string, token: string) {
  const socket = watchedSocket(url, token);
  return { socket, locks: collect<Named>(socket.client, ALL_LOCKS), audit: collect<Audited>(socket.client, AUDIT_FEED) };
}

async function demotionCutsTheFeeds({ acting, watching }: Topology): Promise<void> {
  const root = (await gql<{ signIn: AuthResult }>(acting.httpUrl, SIGN_IN, { username: 'root', password: ADMIN.ADMIN_PASSWORD })).data!.signIn;
  const eve = await signUp(acting.httpUrl, 'eve');
  expect((await gql(acting.httpUrl, SET_ROLE, { u: 'eve', r: 'ADMIN' }, root.accessToken)).data).toEqual({ setUserRole: { role: 'ADMIN' } });
  const carol = await signUp(acting.httpUrl, 'carol');
  const { deviceId } = await registerLock(acting, carol.accessToken);
  const rename = (name: string) => gql(acting.httpUrl, RENAME, { d: deviceId, n: name }, carol.accessToken);
  const renamedTo = (name: string) => (e: Named | Audited) => 'name' in e ? e.name === name : e.action === 'lock.rename' && (e.detail ?? '').endsWith(`→ ${name}`);

  const eveAsAdmin = feeds(watching.wsUrl, eve.accessToken);
  const rootFeeds = feeds(watching.wsUrl, root.accessToken);
  await untilLive(
    (n) => rename(`probe ${n}`),
    (n, ms) => [eveAsAdmin.locks, eveAsAdmin.audit, rootFeeds.locks, rootFeeds.audit].map((feed) => feed.waitFor(renamedTo(`probe ${n}`), ms)),
  );

  expect((await gql(acting.httpUrl, SET_ROLE, { u: 'eve', r: 'USER' }, root.accessToken)).data).toEqual({ setUserRole: { role: 'USER' } });
  expect(await eveAsAdmin.socket.closedWithin(1000)).toBe(4403);

  // Carol's lock changes: root sees it on both feeds, Eve on neither.
  await rename('after demotion');
  await rootFeeds.locks.waitFor(renamedTo('after demotion'));
  await rootFeeds.audit.waitFor(renamedTo('after demotion'));
  expect([...eveAsAdmin.locks.events, ...eveAsAdmin.audit.events].some(renamedTo('after demotion'))).toBe(false);

  // Her token is still valid (a demotion is not a sign-out): reconnecting gives a USER's view.
  const eveAsUser = feeds(watching.wsUrl, eve.accessToken);
  const own = await registerLock(acting, eve.accessToken);
  await untilLive(
    (n) => gql(acting.httpUrl, RENAME, { d: own.deviceId, n: `mine ${n}` }, eve.accessToken),
    (n, ms) => [eveAsUser.locks, eveAsUser.audit].map((feed) => feed.waitFor(renamedTo(`mine ${n}`), ms)),
  );
  await rename('seen by admins only');
  await rootFeeds.locks.waitFor(renamedTo('seen by admins only'));
  await rootFeeds.audit.waitFor(renamedTo('seen by admins only'));
  await gql(acting.httpUrl, RENAME, { d: own.deviceId, n: 'sync point' }, eve.accessToken);
  await eveAsUser.locks.waitFor(renamedTo('sync point'));
  await eveAsUser.audit.waitFor(renamedTo('sync point'));
  expect([...eveAsUser.locks.events, ...eveAsUser.audit.events].some((e) => e.deviceId === deviceId)).toBe(false);

  for (const { socket } of [eveAsAdmin, rootFeeds, eveAsUser]) await socket.client.dispose();
}

describe("a demoted admin's open subscriptions", () => {
  it('are closed with 4403 within 1 s on the same api', async () => {
    topology = await oneApi(ADMIN);
    await demotionCutsTheFeeds(topology);
  });

  it('are closed with 4403 within 1 s when the demotion happens on another replica', async (ctx) => {
    topology = await twoReplicas(ADMIN);
    if (!topology) return ctx.skip('needs Redis');
    await demotionCutsTheFeeds(topology);
  });
});
