/**
 * The sessions list and "end this session": a signed-in user sees each of their sessions (device,
 * address, last use) and ends one. The ended session's tokens stop working at once and its open
 * subscriptions close with 4403 within 1 s, also when it is ended on another replica, while the
 * user's other session keeps its feed. Another user's session id is NOT_FOUND (IDOR).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { untilLive } from '../../src/test-support/live-probe.js';
import type { LockEvent } from '../../src/test-support/lock-operations.js';
import { onlineRawLock } from '../../src/test-support/raw-lock.js';
import { collect } from '../../src/test-support/subscriptions.js';
import { oneApi, twoReplicas, type Topology } from '../../src/test-support/topologies.js';
import { watchedSocket } from '../../src/test-support/watched-socket.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';
const SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
const SESSIONS = 'query { sessions { id createdAt lastUsedAt device clientAddress current } }';
const END = 'mutation ($id: ID!) { endSession(id: $id) }';
const RENAME = 'mutation ($d: ID!, $n: String!) { renameLock(deviceId: $d, name: $n) { name } }';
const LOCK_NAMES = 'subscription ($d: ID) { lockChanged(deviceId: $d) { deviceId name } }';
const REFRESH = 'mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken } }';

interface SessionRow {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  device: string;
  clientAddress: string | null;
  current: boolean;
}

let topology: Topology | null = null;
afterEach(async () => {
  await topology?.close();
  topology = null;
});

async function signInFrom(url: string, userAgent: string): Promise<AuthResult> {
  const response = await gql<{ signIn: AuthResult }>(url, SIGN_IN, { username: 'alice', password: 'correct horse battery' }, undefined, { 'user-agent': userAgent });
  if (!response.data?.signIn) throw new Error(`signIn failed: ${JSON.stringify(response.errors)}`);
  return response.data.signIn;
}

async function sessionsOf(url: string, token: string): Promise<SessionRow[]> {
  const response = await gql<{ sessions: SessionRow[] }>(url, SESSIONS, {}, token);
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.sessions;
}

async function endingOneSessionCutsOnlyItsFeed({ acting, watching }: Topology): Promise<void> {
  const signedUp = await signUp(acting.httpUrl, 'alice');
  const laptop = await signInFrom(acting.httpUrl, FIREFOX);
  const phone = await signInFrom(acting.httpUrl, SAFARI);
  const { lock, client: device } = await onlineRawLock(acting, laptop.accessToken);

  const listed = await sessionsOf(acting.httpUrl, laptop.accessToken);
  expect(listed).toHaveLength(3);
  expect(listed.filter((s) => s.current).map((s) => s.device)).toEqual(['Firefox on Linux']);
  const phoneRow = listed.find((s) => s.device === 'Safari on iOS');
  expect(phoneRow?.current).toBe(false);
  expect(phoneRow?.clientAddress).toMatch(/127\.0\.0\.1/);
  expect(Date.parse(phoneRow!.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(phoneRow!.createdAt));

  const laptopSocket = watchedSocket(watching.wsUrl, laptop.accessToken);
  const phoneSocket = watchedSocket(watching.wsUrl, phone.accessToken);
  type Named = Pick<LockEvent, 'deviceId'> & { name: string };
  const laptopFeed = collect<Named>(laptopSocket.client, LOCK_NAMES, { d: lock.deviceId });
  const phoneFeed = collect<Named>(phoneSocket.client, LOCK_NAMES, { d: lock.deviceId });
  await untilLive(
    (n) => gql(acting.httpUrl, RENAME, { d: lock.deviceId, n: `probe ${n}` }, signedUp.accessToken),
    (n, ms) => [laptopFeed, phoneFeed].map((feed) => feed.waitFor((e) => e.name === `probe ${n}`, ms)),
  );

  // The laptop ends the phone's session.
  expect((await gql(acting.httpUrl, END, { id: phoneRow!.id }, laptop.accessToken)).data).toEqual({ endSession: true });
  expect(await phoneSocket.closedWithin(1000)).toBe(4403);

  // The phone's tokens are dead: its access token now, its refresh token for good.
  expect(errorCodes(await gql(acting.httpUrl, SESSIONS, {}, phone.accessToken))).toEqual(['UNAUTHENTICATED']);
  expect(errorCodes(await gql(acting.httpUrl, REFRESH, { t: phone.refreshToken }))).toEqual(['UNAUTHENTICATED']);

  // The laptop's feed goes on.
  await gql(acting.httpUrl, RENAME, { d: lock.deviceId, n: 'after the end' }, laptop.accessToken);
  await laptopFeed.waitFor((e) => e.name === 'after the end');
  expect(phoneFeed.events.some((e) => e.name === 'after the end')).toBe(false);
  expect((await sessionsOf(acting.httpUrl, laptop.accessToken)).map((s) => s.id)).not.toContain(phoneRow!.id);
  device.end(true);
  await laptopSocket.client.dispose();
  await phoneSocket.client.dispose();
}

describe('ending one of your sessions', () => {
  it('closes its subscriptions with 4403 within 1 s and ends its tokens; the other session keeps its feed', async () => {
    topology = await oneApi();
    await endingOneSessionCutsOnlyItsFeed(topology);
  });

  it('does the same when the session is ended on another replica', async (ctx) => {
    topology = await twoReplicas();
    if (!topology) return ctx.skip('needs Redis');
    await endingOneSessionCutsOnlyItsFeed(topology);
  });

  it("answers NOT_FOUND for another user's session id and leaves that session alone (IDOR)", async () => {
    topology = await oneApi();
    const { httpUrl } = topology.acting;
    const alice = await signUp(httpUrl, 'alice');
    const mallory = await signUp(httpUrl, 'mallory');
    const [aliceSession] = await sessionsOf(httpUrl, alice.accessToken);
    const attempt = await gql(httpUrl, END, { id: aliceSession!.id }, mallory.accessToken);
    expect(errorCodes(attempt)).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(httpUrl, END, { id: 'no-such-session' }, mallory.accessToken))).toEqual(['NOT_FOUND']);
    expect(await sessionsOf(httpUrl, alice.accessToken)).toHaveLength(1);
    // Mallory's list shows only Mallory's session.
    expect((await sessionsOf(httpUrl, mallory.accessToken)).map((s) => s.id)).not.toContain(aliceSession!.id);
  });

  it('needs a signed-in user', async () => {
    topology = await oneApi();
    expect(errorCodes(await gql(topology.acting.httpUrl, SESSIONS))).toEqual(['UNAUTHENTICATED']);
  });
});
