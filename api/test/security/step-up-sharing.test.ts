/**
 * Step-up for sharing: shareLock and createShareInvitation hand out access to a lock, so a session
 * whose password proof is older than STEP_UP_MAX_AGE gets STEP_UP_REQUIRED and nothing is shared,
 * until it reauthenticates.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { registerLock, type Registered } from '../../src/test-support/locks.js';
import { INVITE, SHARE_LOCK } from '../../src/test-support/sharing-operations.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const PASSWORD = 'correct horse battery';
const REAUTH = 'mutation ($p: String!) { reauthenticate(password: $p) }';
const MAX_AGE_S = 2;

let app: TestApp;
let alice: AuthResult;
let lock: Registered;

beforeAll(async () => {
  app = await startTestApp({ STEP_UP_MAX_AGE: `${MAX_AGE_S}s` });
  alice = await signUp(app.httpUrl, 'alice', PASSWORD);
  await signUp(app.httpUrl, 'bob', PASSWORD);
  lock = await registerLock(app, alice.accessToken);
});
afterAll(async () => {
  await app.close();
});

describe('step-up for sharing', () => {
  it('shareLock and createShareInvitation need a recent password check', async () => {
    await sleep(MAX_AGE_S * 1000 + 300);
    const share = await gql(app.httpUrl, SHARE_LOCK, { d: lock.deviceId, u: 'bob', r: 'GUEST' }, alice.accessToken);
    expect(errorCodes(share)).toEqual(['STEP_UP_REQUIRED']);
    expect(errorCodes(await gql(app.httpUrl, INVITE, { d: lock.deviceId, r: 'GUEST' }, alice.accessToken))).toEqual(['STEP_UP_REQUIRED']);
    expect(await app.services.store.lockShares.listByDevice(lock.deviceId)).toEqual([]);
    expect(await app.services.store.lockShares.listPendingInvitations(lock.deviceId, new Date())).toEqual([]);

    expect((await gql(app.httpUrl, REAUTH, { p: PASSWORD }, alice.accessToken)).data).toEqual({ reauthenticate: true });
    expect((await gql(app.httpUrl, SHARE_LOCK, { d: lock.deviceId, u: 'bob', r: 'GUEST' }, alice.accessToken)).errors).toBeUndefined();
    expect((await gql(app.httpUrl, INVITE, { d: lock.deviceId, r: 'GUEST' }, alice.accessToken)).errors).toBeUndefined();
  });
});
