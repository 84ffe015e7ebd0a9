/**
 * `locks(first, after)`: an admin pages through every lock in device id order (one indexed read a
 * page, test/query-plans.test.ts); others page through their own list; without `first` every lock
 * comes at once, as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock } from '../src/test-support/locks.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let admin: AuthResult;
let alice: AuthResult;
let bob: AuthResult;

const PAGE = 'query ($first: Int, $after: ID) { locks(first: $first, after: $after) { deviceId } }';
const ALL = 'query { locks { deviceId } }';

async function ids(token: string, variables: Record<string, unknown>, query = PAGE): Promise<string[]> {
  const response = await gql<{ locks: { deviceId: string }[] }>(app.httpUrl, query, variables, token);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.locks.map((lock) => lock.deviceId);
}

beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here' });
  admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'root password here' })).data!.signIn;
  [alice, bob] = await Promise.all([signUp(app.httpUrl, 'pager-alice'), signUp(app.httpUrl, 'pager-bob')]);
  for (const id of ['page-a3', 'page-a1', 'page-a2']) await registerLock(app, alice.accessToken, id);
  await registerLock(app, bob.accessToken, 'page-b1');
});
afterAll(async () => {
  await app?.close();
});

describe('locks(first, after)', () => {
  it('gives an admin every lock, a page at a time, in device id order', async () => {
    expect(await ids(admin.accessToken, { first: 2 })).toEqual(['page-a1', 'page-a2']);
    expect(await ids(admin.accessToken, { first: 2, after: 'page-a2' })).toEqual(['page-a3', 'page-b1']);
    expect(await ids(admin.accessToken, { first: 2, after: 'page-b1' })).toEqual([]);
    // A device id that is gone still says where to go on from.
    expect(await ids(admin.accessToken, { first: 2, after: 'page-a25' })).toEqual(['page-a3', 'page-b1']);
  });

  it("pages through an owner's own locks only, and every lock still comes at once without first", async () => {
    expect(await ids(alice.accessToken, { first: 2 })).toEqual(['page-a1', 'page-a2']);
    expect(await ids(alice.accessToken, { first: 2, after: 'page-a2' })).toEqual(['page-a3']);
    expect(await ids(alice.accessToken, {}, ALL)).toEqual(['page-a1', 'page-a2', 'page-a3']);
    expect(await ids(admin.accessToken, {}, ALL)).toEqual(['page-a1', 'page-a2', 'page-a3', 'page-b1']);
  });

  it('refuses a page after a lock the viewer cannot see, after without first, and a page too large', async () => {
    const codes = async (token: string, variables: Record<string, unknown>) => errorCodes(await gql(app.httpUrl, PAGE, variables, token));
    expect(await codes(alice.accessToken, { first: 2, after: 'page-b1' })).toEqual(['BAD_USER_INPUT']);
    expect(await codes(alice.accessToken, { after: 'page-a1' })).toEqual(['BAD_USER_INPUT']);
    expect(await codes(admin.accessToken, { first: 101 })).toEqual(['BAD_USER_INPUT']);
  });
});
