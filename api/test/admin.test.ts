import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoot } from '../src/app/paths.js';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const SET_ROLE = 'mutation ($u: String!, $r: Role!) { setUserRole(username: $u, role: $r) { username role } }';
const USERS = '{ users { username role } }';

let app: TestApp;
let admin: AuthResult;
beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'Root', ADMIN_PASSWORD: 'bootstrap password' });
  admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'bootstrap password' })).data!.signIn;
});
afterAll(async () => {
  await app.close();
});

describe('roles', () => {
  it('bootstraps the first admin from ADMIN_USERNAME/ADMIN_PASSWORD', () => {
    expect(admin.user).toMatchObject({ username: 'root', role: 'ADMIN' });
  });

  it('never makes an admin through signUp', async () => {
    expect((await signUp(app.httpUrl, 'hopeful')).user.role).toBe('USER');
  });

  it('keeps users and setUserRole for admins: others get FORBIDDEN', async () => {
    const user = await signUp(app.httpUrl, 'plain');
    expect(errorCodes(await gql(app.httpUrl, USERS, {}, user.accessToken))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(app.httpUrl, SET_ROLE, { u: 'hopeful', r: 'ADMIN' }, user.accessToken))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(app.httpUrl, SET_ROLE, { u: 'plain', r: 'ADMIN' }, user.accessToken))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(app.httpUrl, USERS))).toEqual(['UNAUTHENTICATED']);
  });

  it('lets an admin list users and change roles, effective at once and audited', async () => {
    const user = await signUp(app.httpUrl, 'promoted');
    const listed = await gql<{ users: { username: string }[] }>(app.httpUrl, USERS, {}, admin.accessToken);
    expect(listed.data?.users.map((u) => u.username)).toContain('promoted');
    const changed = await gql(app.httpUrl, SET_ROLE, { u: 'promoted', r: 'ADMIN' }, admin.accessToken);
    expect(changed.data).toEqual({ setUserRole: { username: 'promoted', role: 'ADMIN' } });
    // The same access token now carries admin rights: roles come from the store.
    expect(errorCodes(await gql(app.httpUrl, USERS, {}, user.accessToken))).toEqual([]);
    const audit = await app.services.store.audit.query({ action: 'user.setRole' }, { first: 10 });
    expect(audit.items.some((e) => e.actor === 'root' && e.detail?.includes('promoted: USER → ADMIN'))).toBe(true);
  });

  it('refuses an admin changing their own role', async () => {
    const response = await gql(app.httpUrl, SET_ROLE, { u: 'root', r: 'USER' }, admin.accessToken);
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });

  it('answers NOT_FOUND for an unknown user and BAD_USER_INPUT for an unknown role', async () => {
    expect(errorCodes(await gql(app.httpUrl, SET_ROLE, { u: 'ghost', r: 'ADMIN' }, admin.accessToken))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(app.httpUrl, SET_ROLE, { u: 'plain', r: 'GOD' }, admin.accessToken))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('admin CLI', () => {
  const cli = join(apiRoot(), 'dist', 'src', 'cli', 'admin.js');

  it('promotes a signed-up user (npm run admin -- promote <username>)', async () => {
    expect(existsSync(cli), `${cli} is missing: run npm run build first`).toBe(true);
    const other = await startTestApp();
    await signUp(other.httpUrl, 'cliuser');
    await other.stop(); // release the SQLite file's writer before the CLI opens it
    const env = { ...process.env, DATA_DIR: other.dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent' };
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [cli, 'promote', 'CliUser'], { env });
    expect(stdout).toContain('cliuser is now ADMIN');
    const listed = await run(process.execPath, [cli, 'list'], { env });
    expect(listed.stdout).toMatch(/ADMIN\s+cliuser/);
    await expect(run(process.execPath, [cli, 'promote', 'nobody'], { env })).rejects.toMatchObject({ code: 1 });
    await other.close();
  });
});
