import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const ME = '{ me { username role } }';
let app: TestApp;
let secret: string;
let session: AuthResult;

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  app = await startTestApp();
  secret = readFileSync(join(app.dataDir, 'jwt-secret'), 'utf8');
  session = await signUp(app.httpUrl, 'mallory');
});
afterAll(async () => {
  await app.close();
});

describe('forged and misused access tokens are UNAUTHENTICATED', () => {
  const claims = () => ({ typ: 'access', ver: 0, role: 'ADMIN' });
  const options = () => ({ issuer: 'smartlock', audience: 'smartlock-api', subject: session.user.id, expiresIn: 600 });

  it('accepts a correctly signed token (the control case)', async () => {
    const token = jwt.sign(claims(), secret, { ...options(), algorithm: 'HS256' });
    expect((await gql<{ me: { username: string } }>(app.httpUrl, ME, {}, token)).data?.me.username).toBe('mallory');
  });

  it.each([
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims(), sub: session.user.id, iss: 'smartlock', aud: 'smartlock-api', exp: Math.floor(Date.now() / 1000) + 600 })}.`],
    ['a wrong algorithm', () => jwt.sign(claims(), secret, { ...options(), algorithm: 'HS384' })],
    ['a wrong secret', () => jwt.sign(claims(), `${secret}x`, { ...options(), algorithm: 'HS256' })],
    ['an expired token', () => jwt.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 10 }, secret, { issuer: 'smartlock', audience: 'smartlock-api', subject: session.user.id, algorithm: 'HS256' })],
    ['a wrong audience', () => jwt.sign(claims(), secret, { ...options(), audience: 'another-api', algorithm: 'HS256' })],
    ['a wrong issuer', () => jwt.sign(claims(), secret, { ...options(), issuer: 'someone', algorithm: 'HS256' })],
    ['a token of another type', () => jwt.sign({ ...claims(), typ: 'refresh' }, secret, { ...options(), algorithm: 'HS256' })],
    ['an old token version', () => jwt.sign({ ...claims(), ver: -1 }, secret, { ...options(), algorithm: 'HS256' })],
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
