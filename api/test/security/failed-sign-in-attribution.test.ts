/**
 * Issue 9 item 10: failed sign-ins were audited with the attempted username as their actor, so
 * whoever later signed up with that name read a stranger's guessing (addresses included) as their
 * own history. A failed or throttled sign-in is done by nobody we know: it has no actor and is seen
 * by admins only; it names the account only when that account exists, never an unknown name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const AUDIT = `query ($f: AuditFilterInput) { auditLog(filter: $f, first: 50) { edges { node { actor action result detail } } } }`;
interface Entry {
  actor: string | null;
  action: string;
  result: string;
  detail: string | null;
}

let app: TestApp;
let admin: AuthResult;
beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'bootstrap password', SIGNIN_ACCOUNT_MAX_FAILURES: '3', SIGNIN_FREE_FAILURES: '1' });
  admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'bootstrap password' })).data!.signIn;
});
afterAll(async () => {
  await app.close();
});

async function auditOf(token: string, filter: Record<string, string> = {}): Promise<Entry[]> {
  const response = await gql<{ auditLog: { edges: { node: Entry }[] } }>(app.httpUrl, AUDIT, { f: filter }, token);
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.auditLog.edges.map((edge) => edge.node);
}

describe('failed sign-ins', () => {
  it('are not shown to whoever later signs up with the name that was tried', async () => {
    for (let i = 0; i < 4; i++) {
      expect(errorCodes(await gql(app.httpUrl, SIGN_IN, { username: 'newcomer', password: `guess number ${i}` }))).not.toEqual([]);
    }
    const newcomer = await signUp(app.httpUrl, 'newcomer');
    const seen = await auditOf(newcomer.accessToken);
    expect(seen.map((e) => `${e.actor} ${e.action} ${e.result}`)).toEqual(['newcomer user.signUp ok']);
  });

  it('have no actor; admins see them, with the account named only if it exists', async () => {
    const unknown = (await auditOf(admin.accessToken, { action: 'user.signIn' })).filter((e) => e.result !== 'ok');
    expect(unknown.length).toBeGreaterThanOrEqual(4);
    for (const entry of unknown) {
      expect(entry.actor).toBeNull();
      expect(entry.detail).not.toContain('newcomer');
    }
    expect(unknown.map((e) => e.result)).toContain('throttled');

    const holder = await signUp(app.httpUrl, 'holder');
    await gql(app.httpUrl, SIGN_IN, { username: 'Holder', password: 'not the password' });
    const [failed] = await auditOf(admin.accessToken, { action: 'user.signIn' });
    expect(failed).toEqual({ actor: null, action: 'user.signIn', result: 'failed', detail: 'account holder, from 127.0.0.1' });
    // The account holder does not read a stranger's attempt as something they did.
    expect((await auditOf(holder.accessToken)).map((e) => e.action)).toEqual(['user.signUp']);
  });

  it('still audit a successful sign-in under its user', async () => {
    const user = await signUp(app.httpUrl, 'regular');
    await gql(app.httpUrl, SIGN_IN, { username: 'regular', password: 'correct horse battery' });
    const [latest] = await auditOf(user.accessToken);
    expect(latest).toEqual({ actor: 'regular', action: 'user.signIn', result: 'ok', detail: '127.0.0.1' });
  });
});
