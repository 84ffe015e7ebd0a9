/**
 * An authenticator app as a second factor (TOTP, RFC 6238), with the code computed in the test:
 * enrolment needs a recent password and a first code; sign-in then takes two steps (a challenge,
 * not a session, then a code); each code and recovery code works once; a code is a step-up proof;
 * unlocking then needs a recent proof too.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { totp } from '../src/auth/totp.js';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult, type GraphQLResponse } from '../src/test-support/graphql-client.js';
import { onlineRawLock } from '../src/test-support/raw-lock.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { nextStepCode } from '../src/test-support/totp-codes.js';

const PASSWORD = 'correct horse battery';
const BEGIN = 'mutation { beginTotpEnrollment { secret otpauthUri } }';
const CONFIRM = 'mutation ($c: String!) { confirmTotpEnrollment(code: $c) }';
const STATUS = 'query { twoFactor { totpEnabled recoveryCodesLeft } }';
const SECOND = 'mutation ($ch: String!, $c: String!) { signInSecondFactor(challenge: $ch, code: $c) { accessToken refreshToken user { username } } }';
const REAUTH_CODE = 'mutation ($c: String!) { reauthenticate(code: $c) }';
const UNLOCK = 'mutation ($d: ID!) { unlock(deviceId: $d) { id } }';
const DISABLE = 'mutation { disableTotp }';
const STEP_UP_S = 2;

let app: TestApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function enrol(url: string, token: string): Promise<{ secret: string; confirmedWith: string; recoveryCodes: string[] }> {
  const begun = await gql<{ beginTotpEnrollment: { secret: string; otpauthUri: string } }>(url, BEGIN, {}, token);
  const { secret, otpauthUri } = begun.data!.beginTotpEnrollment;
  expect(new URL(otpauthUri).searchParams.get('secret')).toBe(secret);
  expect(errorCodes(await gql(url, CONFIRM, { c: '000000' === totp(secret, Date.now()) ? '111111' : '000000' }, token))).toEqual(['BAD_USER_INPUT']);
  const confirmedWith = totp(secret, Date.now());
  const confirmed = await gql<{ confirmTotpEnrollment: string[] }>(url, CONFIRM, { c: confirmedWith }, token);
  return { secret, confirmedWith, recoveryCodes: confirmed.data!.confirmTotpEnrollment };
}

async function firstStep(url: string): Promise<string> {
  const response: GraphQLResponse = await gql(url, SIGN_IN, { username: 'alice', password: PASSWORD });
  expect(errorCodes(response)).toEqual(['SECOND_FACTOR_REQUIRED']);
  expect(response.data ?? null).toBeNull();
  const challenge = response.errors?.[0]?.extensions?.challenge;
  if (typeof challenge !== 'string') throw new Error('no challenge');
  return challenge;
}

describe('an authenticator app as a second factor', () => {
  it('is enrolled with a first code, then sign-in takes a challenge and a code, each code working once', async () => {
    app = await startTestApp();
    const { httpUrl } = app;
    const alice = await signUp(httpUrl, 'alice', PASSWORD);
    const { secret, confirmedWith, recoveryCodes } = await enrol(httpUrl, alice.accessToken);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await gql(httpUrl, STATUS, {}, alice.accessToken)).data).toEqual({ twoFactor: { totpEnabled: true, recoveryCodesLeft: 10 } });

    const challenge = await firstStep(httpUrl);
    // The challenge is not a session.
    expect(errorCodes(await gql(httpUrl, STATUS, {}, challenge))).toEqual(['UNAUTHENTICATED']);
    // The code used to confirm is spent: it does not sign in.
    expect(errorCodes(await gql(httpUrl, SECOND, { ch: challenge, c: confirmedWith }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(httpUrl, SECOND, { ch: 'not a challenge', c: '123456' }))).toEqual(['UNAUTHENTICATED']);

    const code = nextStepCode(secret);
    const signedIn = await gql<{ signInSecondFactor: AuthResult }>(httpUrl, SECOND, { ch: challenge, c: code });
    expect(signedIn.data?.signInSecondFactor.user.username).toBe('alice');
    expect(errorCodes(await gql(httpUrl, SECOND, { ch: challenge, c: code }))).toEqual(['UNAUTHENTICATED']); // replayed

    // A recovery code works once, in any case and with or without its dash.
    const recovery = recoveryCodes[0]!;
    expect((await gql(httpUrl, SECOND, { ch: await firstStep(httpUrl), c: recovery.toUpperCase() })).data).not.toBeNull();
    expect(errorCodes(await gql(httpUrl, SECOND, { ch: await firstStep(httpUrl), c: recovery.replace('-', '') }))).toEqual(['UNAUTHENTICATED']);
    expect((await gql(httpUrl, STATUS, {}, signedIn.data!.signInSecondFactor.accessToken)).data).toEqual({ twoFactor: { totpEnabled: true, recoveryCodesLeft: 9 } });
  }, 60_000);

  it('needs a recent proof to enrol or turn off, and then for unlocking; a code is such a proof', async () => {
    app = await startTestApp({ STEP_UP_MAX_AGE: `${STEP_UP_S}s`, COMMAND_TIMEOUT_MS: '60000' });
    const { httpUrl } = app;
    const alice = await signUp(httpUrl, 'alice', PASSWORD);
    const { lock, client } = await onlineRawLock(app, alice.accessToken);
    expect((await gql(httpUrl, UNLOCK, { d: lock.deviceId }, alice.accessToken)).errors).toBeUndefined(); // no second factor yet
    const { secret } = await enrol(httpUrl, alice.accessToken);

    await sleep(STEP_UP_S * 1000 + 300);
    expect(errorCodes(await gql(httpUrl, UNLOCK, { d: lock.deviceId }, alice.accessToken))).toEqual(['STEP_UP_REQUIRED']);
    expect(errorCodes(await gql(httpUrl, DISABLE, {}, alice.accessToken))).toEqual(['STEP_UP_REQUIRED']);
    expect(errorCodes(await gql(httpUrl, REAUTH_CODE, { c: '12345x' }, alice.accessToken))).toEqual(['BAD_USER_INPUT']);
    expect((await gql(httpUrl, REAUTH_CODE, { c: nextStepCode(secret) }, alice.accessToken)).data).toEqual({ reauthenticate: true });
    expect((await gql(httpUrl, UNLOCK, { d: lock.deviceId }, alice.accessToken)).errors).toBeUndefined();
    expect((await gql(httpUrl, DISABLE, {}, alice.accessToken)).data).toEqual({ disableTotp: true });
    expect((await gql<{ signIn: AuthResult }>(httpUrl, SIGN_IN, { username: 'alice', password: PASSWORD })).data?.signIn.user.username).toBe('alice');
    client.end(true);
  }, 60_000);
});
