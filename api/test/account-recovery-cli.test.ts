/**
 * Account recovery by an admin: `npm run admin -- recovery-link <user>` run as a real process
 * prints a link that sets a new password once and only once, ends every session of the user (a
 * live subscription of the old session closes), and is refused when expired or replaced. Without
 * `--reset-second-factor` the authenticator app stays on; with it, it is removed. All audited.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { apiRoot } from '../src/app/paths.js';
import { totp } from '../src/auth/totp.js';
import { errorCodes, gql, SIGN_IN, signUp, wsQuery, type AuthResult } from '../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { watchedSocket } from '../src/test-support/watched-socket.js';
import { collect } from '../src/test-support/subscriptions.js';

const OLD_PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'violet kettle marathon';
const ORIGIN = 'https://smartlock.home.example';
const RECOVER = 'mutation ($t: String!, $p: String!) { recoverAccount(token: $t, newPassword: $p) { accessToken refreshToken user { username } } }';
const REFRESH = 'mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken } }';
const ME = 'query { me { username } }';
const LOCKS_FEED = 'subscription { lockChanged { deviceId } }';

const cli = join(apiRoot(), 'dist', 'src', 'cli', 'admin.js');
const run = promisify(execFile);

let app: TestApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function issueLink(dataDir: string, ...args: string[]): Promise<{ token: string; stdout: string }> {
  expect(existsSync(cli), `${cli} is missing: run npm run build:api first`).toBe(true);
  const env = { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent', ALLOWED_ORIGINS: ORIGIN, SUDO_USER: 'operator-kim' };
  const { stdout } = await run(process.execPath, [cli, 'recovery-link', ...args], { env });
  const match = new RegExp(`^${ORIGIN}/recover#([A-Za-z0-9_-]{43})$`, 'm').exec(stdout);
  expect(match, stdout).not.toBeNull();
  return { token: match![1]!, stdout };
}

const recover = (url: string, token: string, password = NEW_PASSWORD) => gql<{ recoverAccount: AuthResult }>(url, RECOVER, { t: token, p: password });
const signIn = (url: string, password: string) => gql<{ signIn: AuthResult }>(url, SIGN_IN, { username: 'alice', password });

describe('admin recovery link', { timeout: 60_000 }, () => {
  it('prints a link that works once, ends every session (the live subscription closes), and is audited', async () => {
    app = await startTestApp();
    const first = await signUp(app.httpUrl, 'alice', OLD_PASSWORD);
    const socket = watchedSocket(app.wsUrl, first.accessToken);
    collect(socket.client, LOCKS_FEED);
    // A query on the same socket answers after the subscription started: the feed is live.
    expect((await wsQuery(socket.client, ME)).data).toEqual({ me: { username: 'alice' } });
    expect((await gql(app.httpUrl, ME, {}, first.accessToken)).data).toEqual({ me: { username: 'alice' } });

    const { token, stdout } = await issueLink(app.dataDir, 'Alice');
    expect(stdout).toContain('valid for 24 hours');
    expect(stdout).toContain('stays on');

    // A weak password is refused without spending the link.
    expect(errorCodes(await recover(app.httpUrl, token, 'password123'))).toEqual(['BAD_USER_INPUT']);
    const redeemed = await recover(app.httpUrl, token);
    expect(redeemed.errors).toBeUndefined();
    expect(redeemed.data?.recoverAccount.user.username).toBe('alice');
    expect(await socket.closedWithin(1000)).toBe(4403);

    // Once and only once.
    expect(errorCodes(await recover(app.httpUrl, token, 'another fine passphrase'))).toEqual(['BAD_USER_INPUT']);
    // Every old session ended: its access token and its refresh token.
    expect(errorCodes(await gql(app.httpUrl, ME, {}, first.accessToken))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(app.httpUrl, REFRESH, { t: first.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    // The new session works; the old password does not, the new one does.
    expect((await gql(app.httpUrl, ME, {}, redeemed.data!.recoverAccount.accessToken)).data).toEqual({ me: { username: 'alice' } });
    expect(errorCodes(await signIn(app.httpUrl, OLD_PASSWORD))).toEqual(['UNAUTHENTICATED']);
    expect((await signIn(app.httpUrl, NEW_PASSWORD)).data?.signIn.user.username).toBe('alice');

    const issued = await app.services.store.audit.query({ action: 'user.recoveryLinkIssued' }, { first: 10 });
    expect(issued.items.map((e) => e.detail)).toEqual([expect.stringMatching(/^alice, by operator-kim \(cli\), valid 24 hours$/)]);
    const recovered = await app.services.store.audit.query({ action: 'user.recovered' }, { first: 10 });
    expect(recovered.items.map((e) => [e.actor, e.result])).toEqual(expect.arrayContaining([['alice', 'ok'], [null, 'failed']]));
  });

  it('refuses an expired link and one replaced by a newer link; an unknown user is exit code 1', async () => {
    app = await startTestApp();
    await signUp(app.httpUrl, 'alice', OLD_PASSWORD);
    const older = await issueLink(app.dataDir, 'alice');
    const newer = await issueLink(app.dataDir, 'alice');
    expect(errorCodes(await recover(app.httpUrl, older.token))).toEqual(['BAD_USER_INPUT']);

    // Expire the newer link in the real database file (a day is too long to wait).
    const db = new Database(join(app.dataDir, 'smartlock.db'));
    try {
      expect(db.prepare('UPDATE recovery_tokens SET expires_at = ?').run(Date.now() - 1).changes).toBe(1);
    } finally {
      db.close();
    }
    expect(errorCodes(await recover(app.httpUrl, newer.token))).toEqual(['BAD_USER_INPUT']);
    expect((await signIn(app.httpUrl, OLD_PASSWORD)).data?.signIn.user.username).toBe('alice');

    const env = { ...process.env, DATA_DIR: app.dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent' };
    await expect(run(process.execPath, [cli, 'recovery-link', 'nobody'], { env })).rejects.toMatchObject({ code: 1 });
    await expect(run(process.execPath, [cli, 'recovery-link', 'alice', '--reset-everything'], { env })).rejects.toMatchObject({ code: 64 });
  });

  it('keeps the authenticator app unless the link was issued with --reset-second-factor', async () => {
    app = await startTestApp();
    const alice = await signUp(app.httpUrl, 'alice', OLD_PASSWORD);
    const begun = await gql<{ beginTotpEnrollment: { secret: string } }>(app.httpUrl, 'mutation { beginTotpEnrollment { secret } }', {}, alice.accessToken);
    const secret = begun.data!.beginTotpEnrollment.secret;
    await gql(app.httpUrl, 'mutation ($c: String!) { confirmTotpEnrollment(code: $c) }', { c: totp(secret, Date.now()) }, alice.accessToken);

    const plain = await issueLink(app.dataDir, 'alice');
    const kept = await recover(app.httpUrl, plain.token);
    expect(errorCodes(kept)).toEqual(['SECOND_FACTOR_REQUIRED']);
    expect(await app.services.totp.isOn(alice.user.id)).toBe(true);
    // The password did change: signing in with it asks for the code, as the link answered.
    expect(errorCodes(await signIn(app.httpUrl, NEW_PASSWORD))).toEqual(['SECOND_FACTOR_REQUIRED']);

    const resetting = await issueLink(app.dataDir, 'alice', '--reset-second-factor');
    expect(resetting.stdout).toContain('removes the authenticator app');
    const reset = await recover(app.httpUrl, resetting.token, 'seven amber lanterns');
    expect(reset.errors).toBeUndefined();
    expect(await app.services.totp.isOn(alice.user.id)).toBe(false);
    const off = await app.services.store.audit.query({ action: 'user.totpDisabled' }, { first: 10 });
    expect(off.items.map((e) => [e.actor, e.detail])).toEqual([['alice', 'by an admin recovery link']]);
  });
});
