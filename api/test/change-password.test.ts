/**
 * changePassword: the current password is checked, the new one must be strong, and every other
 * session ends (tokens and open subscriptions) while the session that changed it stays signed in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { collect } from '../src/test-support/subscriptions.js';
import { oneApi, type Topology } from '../src/test-support/topologies.js';
import { watchedSocket } from '../src/test-support/watched-socket.js';

const OLD = 'correct horse battery';
const NEW = 'plum violin harbour kettle';
const CHANGE = 'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
const ME = 'query { me { username } }';
const REFRESH = 'mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken } }';
const LOCKS = 'subscription { lockChanged { deviceId } }';

let topology: Topology | null = null;
afterEach(async () => {
  await topology?.close();
  topology = null;
});

async function signIn(url: string, password: string) {
  return gql<{ signIn: AuthResult }>(url, SIGN_IN, { username: 'alice', password });
}

describe('changePassword', () => {
  it('refuses a wrong current password and a weak new one, changing nothing', async () => {
    topology = await oneApi();
    const { httpUrl } = topology.acting;
    const alice = await signUp(httpUrl, 'alice', OLD);
    const wrong = await gql(httpUrl, CHANGE, { c: 'not the password', n: NEW }, alice.accessToken);
    expect(errorCodes(wrong)).toEqual(['BAD_USER_INPUT']);
    const weak = await gql(httpUrl, CHANGE, { c: OLD, n: 'password123' }, alice.accessToken);
    expect(errorCodes(weak)).toEqual(['BAD_USER_INPUT']);
    expect(weak.errors?.[0]?.message).toMatch(/too easy to guess|at least/);
    expect((await signIn(httpUrl, OLD)).data?.signIn.user.username).toBe('alice');
    expect(errorCodes(await gql(httpUrl, CHANGE, { c: OLD, n: NEW }))).toEqual(['UNAUTHENTICATED']);
  });

  it('sets the new password and ends every other session, keeping this one', async () => {
    topology = await oneApi();
    const { httpUrl, wsUrl } = topology.acting;
    const here = await signUp(httpUrl, 'alice', OLD);
    const elsewhere = (await signIn(httpUrl, OLD)).data!.signIn;
    const hereSocket = watchedSocket(wsUrl, here.accessToken);
    const elsewhereSocket = watchedSocket(wsUrl, elsewhere.accessToken);
    const hereFeed = collect(hereSocket.client, LOCKS);
    collect(elsewhereSocket.client, LOCKS);
    // Both sockets are open and tracked once a query over them has answered.
    await Promise.all([hereSocket, elsewhereSocket].map((s) => new Promise<void>((resolve, reject) => {
      s.client.subscribe({ query: ME }, { next: () => undefined, error: reject, complete: resolve });
    })));

    expect((await gql(httpUrl, CHANGE, { c: OLD, n: NEW }, here.accessToken)).data).toEqual({ changePassword: true });
    expect(await elsewhereSocket.closedWithin(1000)).toBe(4403);
    expect(errorCodes(await gql(httpUrl, ME, {}, elsewhere.accessToken))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(httpUrl, REFRESH, { t: elsewhere.refreshToken }))).toEqual(['UNAUTHENTICATED']);

    // This session goes on: its token, its refresh token and its socket.
    expect((await gql(httpUrl, ME, {}, here.accessToken)).data).toEqual({ me: { username: 'alice' } });
    expect((await gql<{ refreshSession: { accessToken: string } }>(httpUrl, REFRESH, { t: here.refreshToken })).data?.refreshSession.accessToken).toEqual(expect.any(String));
    await expect(hereSocket.closedWithin(300)).rejects.toThrow(/still open/);
    expect(hereFeed.errors).toEqual([]);

    expect(errorCodes(await signIn(httpUrl, OLD))).toEqual(['UNAUTHENTICATED']);
    expect((await signIn(httpUrl, NEW)).data?.signIn.user.username).toBe('alice');
    await hereSocket.client.dispose();
    await elsewhereSocket.client.dispose();
  });
});
