/**
 * A user migrated from the Flask system, whose stored hash is Werkzeug's, signs in over HTTP with
 * their old password; the hash is replaced by one of ours at once, and a wrong password still fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, type AuthResult } from '../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

interface Fixture {
  password: string;
  hash: string;
}
const fixtures = JSON.parse(readFileSync(join(__dirname, 'fixtures/werkzeug/werkzeug-hashes.json'), 'utf8')) as Fixture[];

let app: TestApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe('signing in with a Werkzeug hash', () => {
  it.each([['pbkdf2:sha256:600000'], ['scrypt:32768:8:1']])('%s: signs in, upgrades the hash, refuses a wrong password', async (method) => {
    const fixture = fixtures.find((f) => f.hash.startsWith(`${method}$`))!;
    app = await startTestApp();
    const { users } = app.services.store;
    await users.create({ username: 'flask-user', passwordHash: fixture.hash, role: 'USER' });

    const wrong = await gql(app.httpUrl, SIGN_IN, { username: 'flask-user', password: `${fixture.password}!` });
    expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
    expect((await users.findByUsername('flask-user'))?.passwordHash).toBe(fixture.hash);

    const signedIn = await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'flask-user', password: fixture.password });
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data?.signIn.user.username).toBe('flask-user');
    const upgraded = (await users.findByUsername('flask-user'))!.passwordHash;
    expect(upgraded).toMatch(/^scrypt\$12\$/);

    // The upgraded hash takes the same password (NFKC-normalised from now on, as every hash of ours).
    const again = await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'flask-user', password: fixture.password });
    expect(again.data?.signIn.user.username).toBe('flask-user');
    expect(errorCodes(await gql(app.httpUrl, SIGN_IN, { username: 'flask-user', password: 'not it at all' }))).toEqual(['UNAUTHENTICATED']);
  });
});
