import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const ME = '{ me { id username role } }';
const REFRESH = 'mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken user { username } } }';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('sign up and sign in over HTTP', () => {
  it('signs up a USER, case-folding the username, and answers me', async () => {
    const session = await signUp(app.httpUrl, 'Alice.Smith');
    expect(session.user).toMatchObject({ username: 'alice.smith', role: 'USER' });
    expect(new Date(session.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await gql<{ me: { username: string } }>(app.httpUrl, ME, {}, session.accessToken);
    expect(me.data?.me.username).toBe('alice.smith');
  });

  it('refuses a taken username, a bad username and a short password with BAD_USER_INPUT', async () => {
    await signUp(app.httpUrl, 'taken');
    for (const [username, password] of [
      ['TAKEN', 'long enough password'],
      ['no spaces', 'long enough password'],
      ['ab', 'long enough password'],
      ['fine-name', 'short'],
    ] as const) {
      const response = await gql(app.httpUrl, SIGN_IN.replace('signIn', 'signUp'), { username, password });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('gives the same error for an unknown user and a wrong password', async () => {
    await signUp(app.httpUrl, 'bob');
    const wrongPassword = await gql(app.httpUrl, SIGN_IN, { username: 'bob', password: 'not the password' });
    const unknownUser = await gql(app.httpUrl, SIGN_IN, { username: 'nobody-here', password: 'not the password' });
    expect(errorCodes(wrongPassword)).toEqual(['UNAUTHENTICATED']);
    expect(wrongPassword.errors?.[0]?.message).toBe(unknownUser.errors?.[0]?.message);
    expect(errorCodes(unknownUser)).toEqual(['UNAUTHENTICATED']);
  });

  it('signs in with the right password', async () => {
    await signUp(app.httpUrl, 'carol', 'carols secret phrase');
    const response = await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'CAROL', password: 'carols secret phrase' });
    expect(response.data?.signIn.user.username).toBe('carol');
  });

  it('asks anonymous callers to sign in', async () => {
    expect(errorCodes(await gql(app.httpUrl, ME))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('refresh sessions', () => {
  it('rotates the refresh token on every use', async () => {
    const first = await signUp(app.httpUrl, 'rotator');
    const second = await gql<{ refreshSession: AuthResult }>(app.httpUrl, REFRESH, { t: first.refreshToken });
    const next = second.data?.refreshSession;
    expect(next?.user.username).toBe('rotator');
    expect(next?.refreshToken).not.toBe(first.refreshToken);
    const third = await gql<{ refreshSession: AuthResult }>(app.httpUrl, REFRESH, { t: next?.refreshToken });
    expect(third.data?.refreshSession.user.username).toBe('rotator');
  });

  it('revokes the whole family when a rotated token is reused', async () => {
    const first = await signUp(app.httpUrl, 'victim');
    const rotated = await gql<{ refreshSession: AuthResult }>(app.httpUrl, REFRESH, { t: first.refreshToken });
    const stolenReplay = await gql(app.httpUrl, REFRESH, { t: first.refreshToken });
    expect(errorCodes(stolenReplay)).toEqual(['UNAUTHENTICATED']);
    // The legitimate holder's newer token is dead too: the family is revoked.
    expect(errorCodes(await gql(app.httpUrl, REFRESH, { t: rotated.data?.refreshSession.refreshToken }))).toEqual(['UNAUTHENTICATED']);
  });

  it('lets exactly one of two concurrent refreshes win', async () => {
    const first = await signUp(app.httpUrl, 'racer');
    const results = await Promise.all([gql(app.httpUrl, REFRESH, { t: first.refreshToken }), gql(app.httpUrl, REFRESH, { t: first.refreshToken })]);
    expect(results.filter((r) => r.data).length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => errorCodes(r)[0] === 'UNAUTHENTICATED').length).toBeGreaterThanOrEqual(1);
  });

  it('signOut ends the session line', async () => {
    const session = await signUp(app.httpUrl, 'leaver');
    const out = await gql(app.httpUrl, 'mutation ($t: String!) { signOut(refreshToken: $t) }', { t: session.refreshToken });
    expect(out.data).toEqual({ signOut: true });
    expect(errorCodes(await gql(app.httpUrl, REFRESH, { t: session.refreshToken }))).toEqual(['UNAUTHENTICATED']);
  });

  it('signOutEverywhere revokes every access and refresh token of the user', async () => {
    const laptop = await signUp(app.httpUrl, 'everywhere', 'everywhere password');
    const phone = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'everywhere', password: 'everywhere password' })).data?.signIn;
    const out = await gql(app.httpUrl, 'mutation { signOutEverywhere }', {}, laptop.accessToken);
    expect(out.data).toEqual({ signOutEverywhere: true });
    expect(errorCodes(await gql(app.httpUrl, ME, {}, phone?.accessToken))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(app.httpUrl, ME, {}, laptop.accessToken))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(app.httpUrl, REFRESH, { t: phone?.refreshToken }))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a refresh token used as an access token', async () => {
    const session = await signUp(app.httpUrl, 'confused');
    expect(errorCodes(await gql(app.httpUrl, ME, {}, session.refreshToken))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an access token used as a refresh token', async () => {
    const session = await signUp(app.httpUrl, 'confused2');
    expect(errorCodes(await gql(app.httpUrl, REFRESH, { t: session.accessToken }))).toEqual(['UNAUTHENTICATED']);
  });
});
