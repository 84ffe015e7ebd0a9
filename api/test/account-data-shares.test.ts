/**
 * Your data and shares (issue 14 item 6, issue 15 item 1; docs/privacy.md): the export lists the
 * shares a person gave and those they hold; deleting a guest's account removes the shares they held
 * (the lock's owner no longer sees them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock } from '../src/test-support/locks.js';
import { LOCK_SHARES, shareLock } from '../src/test-support/sharing-operations.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const EXPORT = '{ exportMyData }';
const DELETE = 'mutation ($p: String!) { deleteAccount(password: $p) }';
const PASSWORD = 'correct horse battery';

let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;

beforeAll(async () => {
  app = await startTestApp();
  alice = await signUp(app.httpUrl, 'alice', PASSWORD);
  bob = await signUp(app.httpUrl, 'bob', PASSWORD);
});
afterAll(async () => {
  await app.close();
});

interface ExportedShares {
  shares: { given: { deviceId: string; guest: string; role: string; endsAt: string | null }[]; received: { deviceId: string; guest: string }[] };
}

describe('shares in your data', () => {
  it('the export lists shares given and received; deleting the guest removes the shares they held', async () => {
    const lock = await registerLock(app, alice.accessToken);
    await shareLock(app.httpUrl, alice, lock.deviceId, 'bob', 'GUEST', { endsAt: '2099-01-01T00:00:00.000Z' });
    const exportOf = async (user: AuthResult) => JSON.parse((await gql<{ exportMyData: string }>(app.httpUrl, EXPORT, {}, user.accessToken)).data?.exportMyData ?? '{}') as ExportedShares;
    expect((await exportOf(alice)).shares).toEqual({ given: [expect.objectContaining({ deviceId: lock.deviceId, guest: 'bob', role: 'GUEST', endsAt: '2099-01-01T00:00:00.000Z' })], received: [] });
    expect((await exportOf(bob)).shares).toEqual({ given: [], received: [expect.objectContaining({ deviceId: lock.deviceId, guest: 'bob' })] });

    expect((await gql(app.httpUrl, DELETE, { p: PASSWORD }, bob.accessToken)).errors).toBeUndefined();
    const shares = await gql<{ lockShares: unknown[] }>(app.httpUrl, LOCK_SHARES, { d: lock.deviceId }, alice.accessToken);
    expect(shares.data?.lockShares).toEqual([]);
  });
});
