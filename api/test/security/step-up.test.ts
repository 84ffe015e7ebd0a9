/**
 * Step-up (ASVS L3): a new device secret or removing a lock needs a password check within
 * STEP_UP_MAX_AGE. A fresh sign-in counts; a session kept alive only by refresh tokens does not,
 * and must `reauthenticate` first. The answer in between is STEP_UP_REQUIRED with the max age.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { registerLock } from '../../src/test-support/locks.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const PASSWORD = 'correct horse battery';
const ROTATE = 'mutation ($d: ID!) { rotateDeviceSecret(deviceId: $d) { lock { deviceId } } }';
const REMOVE = 'mutation ($d: ID!) { removeLock(deviceId: $d) }';
const REAUTH = 'mutation ($p: String!) { reauthenticate(password: $p) }';
const REFRESH = 'mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }';
const MAX_AGE_S = 2;

let app: TestApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function startWithShortStepUp(): Promise<TestApp> {
  return startTestApp({ STEP_UP_MAX_AGE: `${MAX_AGE_S}s` });
}

describe('step-up for sensitive operations', () => {
  it('lets a fresh sign-in rotate a secret, then asks again once the proof is older than the max age', async () => {
    app = await startWithShortStepUp();
    const alice = await signUp(app.httpUrl, 'alice', PASSWORD);
    const lock = await registerLock(app, alice.accessToken);
    expect((await gql(app.httpUrl, ROTATE, { d: lock.deviceId }, alice.accessToken)).data).toEqual({ rotateDeviceSecret: { lock: { deviceId: lock.deviceId } } });

    await sleep(MAX_AGE_S * 1000 + 300);
    const stale = await gql(app.httpUrl, ROTATE, { d: lock.deviceId }, alice.accessToken);
    expect(errorCodes(stale)).toEqual(['STEP_UP_REQUIRED']);
    expect(stale.errors?.[0]?.extensions?.maxAgeSeconds).toBe(MAX_AGE_S);
    expect(errorCodes(await gql(app.httpUrl, REMOVE, { d: lock.deviceId }, alice.accessToken))).toEqual(['STEP_UP_REQUIRED']);

    // A refresh proves nothing: the refreshed session is still asked.
    const refreshed = (await gql<{ refreshSession: AuthResult }>(app.httpUrl, REFRESH, { t: alice.refreshToken })).data!.refreshSession;
    expect(errorCodes(await gql(app.httpUrl, ROTATE, { d: lock.deviceId }, refreshed.accessToken))).toEqual(['STEP_UP_REQUIRED']);

    // A wrong password changes nothing; the right one lets it through, for this session line.
    expect(errorCodes(await gql(app.httpUrl, REAUTH, { p: 'not my password' }, refreshed.accessToken))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(app.httpUrl, ROTATE, { d: lock.deviceId }, refreshed.accessToken))).toEqual(['STEP_UP_REQUIRED']);
    expect((await gql(app.httpUrl, REAUTH, { p: PASSWORD }, refreshed.accessToken)).data).toEqual({ reauthenticate: true });
    expect((await gql(app.httpUrl, ROTATE, { d: lock.deviceId }, refreshed.accessToken)).data).toEqual({ rotateDeviceSecret: { lock: { deviceId: lock.deviceId } } });
    expect((await gql(app.httpUrl, REMOVE, { d: lock.deviceId }, refreshed.accessToken)).data).toEqual({ removeLock: true });
  });

  it('counts a fresh sign-in on another session, and only for that session', async () => {
    app = await startWithShortStepUp();
    const old = await signUp(app.httpUrl, 'alice', PASSWORD);
    const lock = await registerLock(app, old.accessToken);
    await sleep(MAX_AGE_S * 1000 + 300);
    const fresh = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'alice', password: PASSWORD })).data!.signIn;
    expect(errorCodes(await gql(app.httpUrl, ROTATE, { d: lock.deviceId }, old.accessToken))).toEqual(['STEP_UP_REQUIRED']);
    expect((await gql(app.httpUrl, ROTATE, { d: lock.deviceId }, fresh.accessToken)).data).toEqual({ rotateDeviceSecret: { lock: { deviceId: lock.deviceId } } });
  });

  it('checks step-up before ownership: a stale session learns nothing about other locks', async () => {
    app = await startWithShortStepUp();
    const bob = await signUp(app.httpUrl, 'bob', PASSWORD);
    const bobsLock = await registerLock(app, bob.accessToken);
    const mallory = await signUp(app.httpUrl, 'mallory', PASSWORD);
    expect(errorCodes(await gql(app.httpUrl, ROTATE, { d: bobsLock.deviceId }, mallory.accessToken))).toEqual(['NOT_FOUND']);
    await sleep(MAX_AGE_S * 1000 + 300);
    expect(errorCodes(await gql(app.httpUrl, ROTATE, { d: bobsLock.deviceId }, mallory.accessToken))).toEqual(['STEP_UP_REQUIRED']);
    expect(errorCodes(await gql(app.httpUrl, ROTATE, { d: 'no-such-lock' }, mallory.accessToken))).toEqual(['STEP_UP_REQUIRED']);
  });
});
