/**
 * Attack: forge, swap, stretch or replay a token to act as someone (or something) else.
 * Defence: HS256 pinned on verify with issuer, audience, typ and the user's token
 * version; role read from the store; single-use refresh tokens whose reuse revokes the family.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';
import { accessClaims, base64url, jwtSecretOf } from './attack-kit.js';

const ME = '{ me { username role } }';
const REFRESH = 'mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken user { username } } }';
let app: TestApp;
let secret: string;
let session: AuthResult;

beforeAll(async () => {
  app = await startTestApp();
  secret = jwtSecretOf(app);
  session = await signUp(app.httpUrl, 'mallory');
});
afterAll(async () => {
  await app.close();
});

/** header.payload signed with HMAC-SHA256 over the app's secret, whatever the header claims. */
function hmacSigned(header: object, payload: object, hash: 'sha256' | 'sha384' | 'sha512' = 'sha256', key: string | Buffer = secret): string {
  const signingInput = `${base64url(header)}.${base64url(payload)}`;
  return `${signingInput}.${createHmac(hash, key).update(signingInput).digest('base64url')}`;
}

describe('forged and misused access tokens are UNAUTHENTICATED', () => {
  const claims = () => ({ typ: 'access', ver: 0, role: 'ADMIN' });
  const options = () => ({ issuer: 'smartlock', audience: 'smartlock-api', subject: session.user.id, expiresIn: 600 });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsaPublicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' });

  it('accepts a correctly signed token (the control case)', async () => {
    const token = jwt.sign(claims(), secret, { ...options(), algorithm: 'HS256' });
    expect((await gql<{ me: { username: string } }>(app.httpUrl, ME, {}, token)).data?.me.username).toBe('mallory');
    // The hand-built signer below is right too: its HS256 token is accepted, so the refusals below are for the alg alone.
    expect((await gql<{ me: { username: string } }>(app.httpUrl, ME, {}, hmacSigned({ alg: 'HS256', typ: 'JWT' }, accessClaims(session.user.id)))).data?.me.username).toBe('mallory');
  });

  it.each([
    ['alg none', () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(accessClaims(session.user.id))}.`],
    ['alg None (case variant)', () => `${base64url({ alg: 'None', typ: 'JWT' })}.${base64url(accessClaims(session.user.id))}.`],
    ['alg NONE with the real HS256 signature kept', () => {
      const [, payload, signature] = jwt.sign(claims(), secret, { ...options(), algorithm: 'HS256' }).split('.');
      return `${base64url({ alg: 'NONE', typ: 'JWT' })}.${payload}.${signature}`;
    }],
    ['alg none with the header stripped of typ', () => `${base64url({ alg: 'none' })}.${base64url(accessClaims(session.user.id))}.`],
    ['HS384 with the right secret (only HS256 is accepted)', () => jwt.sign(claims(), secret, { ...options(), algorithm: 'HS384' })],
    ['HS512 with the right secret', () => jwt.sign(claims(), secret, { ...options(), algorithm: 'HS512' })],
    ['RS256 with an attacker key pair', () => jwt.sign(claims(), rsa.privateKey, { ...options(), algorithm: 'RS256' })],
    ['PS256 with an attacker key pair', () => jwt.sign(claims(), rsa.privateKey, { ...options(), algorithm: 'PS256' })],
    ['ES256 with an attacker key pair', () => jwt.sign(claims(), ec.privateKey, { ...options(), algorithm: 'ES256' })],
    ['RS256 header HMAC-signed with the secret (key confusion)', () => hmacSigned({ alg: 'RS256', typ: 'JWT' }, accessClaims(session.user.id))],
    ['RS256 header HMAC-signed with a public key as the secret', () => hmacSigned({ alg: 'RS256', typ: 'JWT' }, accessClaims(session.user.id), 'sha256', rsaPublicPem)],
    ['HS512 header over an HS256 signature', () => hmacSigned({ alg: 'HS512', typ: 'JWT' }, accessClaims(session.user.id))],
    ['a wrong secret', () => jwt.sign(claims(), `${secret}x`, { ...options(), algorithm: 'HS256' })],
    ['an empty secret', () => hmacSigned({ alg: 'HS256', typ: 'JWT' }, accessClaims(session.user.id), 'sha256', '')],
    ['a tampered payload under a valid signature', () => {
      const [header, , signature] = jwt.sign(claims(), secret, { ...options(), algorithm: 'HS256' }).split('.');
      return `${header}.${base64url({ ...accessClaims(session.user.id), exp: Math.floor(Date.now() / 1000) + 10 * 365 * 86400 })}.${signature}`;
    }],
    ['an expired token', () => jwt.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 10 }, secret, { issuer: 'smartlock', audience: 'smartlock-api', subject: session.user.id, algorithm: 'HS256' })],
    ['a token expired one second ago (no clock tolerance)', () => hmacSigned({ alg: 'HS256', typ: 'JWT' }, accessClaims(session.user.id, -1))],
    ['a token without exp (never expires)', () => {
      const { exp: _exp, ...rest } = accessClaims(session.user.id);
      return hmacSigned({ alg: 'HS256', typ: 'JWT' }, rest);
    }],
    ['a token not valid yet (nbf in the future)', () => hmacSigned({ alg: 'HS256', typ: 'JWT' }, { ...accessClaims(session.user.id), nbf: Math.floor(Date.now() / 1000) + 3600 })],
    ['a wrong audience', () => jwt.sign(claims(), secret, { ...options(), audience: 'another-api', algorithm: 'HS256' })],
    ['a wrong issuer', () => jwt.sign(claims(), secret, { ...options(), issuer: 'someone', algorithm: 'HS256' })],
    ['a token of another type', () => jwt.sign({ ...claims(), typ: 'refresh' }, secret, { ...options(), algorithm: 'HS256' })],
    ['an old token version', () => jwt.sign({ ...claims(), ver: -1 }, secret, { ...options(), algorithm: 'HS256' })],
    ['a token for a user who does not exist', () => hmacSigned({ alg: 'HS256', typ: 'JWT' }, accessClaims('00000000-0000-0000-0000-000000000000'))],
    ['a refresh token', () => session.refreshToken],
    ['garbage', () => 'garbage'],
  ])('refuses %s', async (_name, makeToken) => {
    const response = await gql(app.httpUrl, ME, {}, makeToken());
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.data ?? null).toBeNull();
  });

  it('takes the role from the store, not from the token', async () => {
    const token = jwt.sign(claims(), secret, { ...options(), algorithm: 'HS256' });
    expect((await gql<{ me: { role: string } }>(app.httpUrl, ME, {}, token)).data?.me.role).toBe('USER');
    expect(errorCodes(await gql(app.httpUrl, '{ users { username } }', {}, token))).toEqual(['FORBIDDEN']);
  });
});

describe('refresh-token reuse', () => {
  it('revokes the whole family when a rotated refresh token is replayed (a stolen copy used after its owner refreshed)', async () => {
    const first = await signUp(app.httpUrl, 'family');
    const rotated = (await gql<{ refreshSession: AuthResult }>(app.httpUrl, REFRESH, { t: first.refreshToken })).data?.refreshSession;
    const next = (await gql<{ refreshSession: AuthResult }>(app.httpUrl, REFRESH, { t: rotated?.refreshToken })).data?.refreshSession;
    expect(next?.user.username).toBe('family');
    // The thief replays the first token: refused, and every descendant dies with it.
    expect(errorCodes(await gql(app.httpUrl, REFRESH, { t: first.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(app.httpUrl, REFRESH, { t: next?.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(app.httpUrl, REFRESH, { t: rotated?.refreshToken }))).toEqual(['UNAUTHENTICATED']);
  });

  it('leaves the same user\'s other sessions (other families) working', async () => {
    const laptop = await signUp(app.httpUrl, 'two-families', 'two families password');
    const phone = (await gql<{ signIn: AuthResult }>(app.httpUrl, 'mutation ($u: String!, $p: String!) { signIn(username: $u, password: $p) { refreshToken accessToken user { username } } }', { u: 'two-families', p: 'two families password' })).data?.signIn;
    await gql(app.httpUrl, REFRESH, { t: laptop.refreshToken });
    await gql(app.httpUrl, REFRESH, { t: laptop.refreshToken }); // reuse: the laptop's family is revoked
    const phoneRefresh = await gql<{ refreshSession: AuthResult }>(app.httpUrl, REFRESH, { t: phone?.refreshToken });
    expect(phoneRefresh.data?.refreshSession.user.username).toBe('two-families');
  });

  it('refuses a forged refresh token of the right shape', async () => {
    const forged = `slr_${Buffer.alloc(32, 7).toString('base64url')}`;
    expect(errorCodes(await gql(app.httpUrl, REFRESH, { t: forged }))).toEqual(['UNAUTHENTICATED']);
  });
});
