/**
 * Issue 14 item 6, your data (docs/privacy.md): `exportMyData` gives a person everything kept about
 * them and no secret; `deleteAccount` removes the account and its locks, ends its sessions (an open
 * subscription closes with 4403 within 1 s) and pseudonymises what others keep, so that whoever
 * takes the username next sees none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, UNLOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { onlineRawLock, publishStatus, signedStatus } from '../src/test-support/raw-lock.js';
import { untilLive } from '../src/test-support/live-probe.js';
import { collect, eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { watchedSocket } from '../src/test-support/watched-socket.js';

const ADMIN = { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here' };
const PASSWORD = 'correct horse battery';
const EXPORT = '{ exportMyData }';
const DELETE = 'mutation ($p: String!) { deleteAccount(password: $p) }';
const SET_ROLE = 'mutation ($u: String!, $r: Role!) { setUserRole(username: $u, role: $r) { role } }';
const AUDIT = '{ auditLog(first: 100) { edges { node { actor action detail deviceId } } } }';

interface Entry {
  actor: string | null;
  action: string;
  detail: string | null;
  deviceId: string | null;
}

let app: TestApp;
let root: AuthResult;
beforeAll(async () => {
  app = await startTestApp(ADMIN);
  root = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: ADMIN.ADMIN_PASSWORD })).data!.signIn;
});
afterAll(async () => {
  await app.close();
});

async function auditAs(token: string): Promise<Entry[]> {
  const response = await gql<{ auditLog: { edges: { node: Entry }[] } }>(app.httpUrl, AUDIT, {}, token);
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.auditLog.edges.map((e) => e.node);
}

describe('your data', () => {
  it('exports the account, its locks, their commands and history, and no secret', async () => {
    const alice = await signUp(app.httpUrl, 'exporter');
    const { lock, client } = await onlineRawLock(app, alice.accessToken);
    const command = (await gql<{ unlock: { id: string } }>(app.httpUrl, UNLOCK, { d: lock.deviceId }, alice.accessToken)).data!.unlock.id;
    const response = await gql<{ exportMyData: string }>(app.httpUrl, EXPORT, {}, alice.accessToken);
    const text = response.data!.exportMyData;
    const data = JSON.parse(text) as {
      format: string;
      version: number;
      account: { username: string };
      locks: { deviceId: string }[];
      commands: { id: string }[];
      activity: { action: string; deviceId: string | null }[];
    };
    expect(data).toMatchObject({ format: 'smartlock-export', version: 1, account: { username: 'exporter' } });
    expect(data.locks.map((l) => l.deviceId)).toEqual([lock.deviceId]);
    expect(data.commands.map((c) => c.id)).toContain(command);
    expect(data.activity).toContainEqual(expect.objectContaining({ action: 'lock.register', deviceId: lock.deviceId }));
    const stored = (await app.services.store.users.findByUsername('exporter'))!;
    const sealed = (await app.services.store.locks.findByDeviceId(lock.deviceId))!.secretSealed;
    for (const secret of [stored.passwordHash, sealed, lock.deviceSecret, alice.refreshToken]) expect(text).not.toContain(secret);
    expect(errorCodes(await gql(app.httpUrl, EXPORT))).toEqual(['UNAUTHENTICATED']);
    client.end(true);
  });

  it('deletes an account: its locks and sessions go, open feeds close, the history others keep names a pseudonym', async () => {
    const alice = await signUp(app.httpUrl, 'alice');
    const { lock, client } = await onlineRawLock(app, alice.accessToken);
    const unlock = (await gql<{ unlock: { id: string } }>(app.httpUrl, UNLOCK, { d: lock.deviceId }, alice.accessToken)).data!.unlock.id;
    await publishStatus(app, client, lock, signedStatus(lock, { seq: 2, status: 'UNLOCKED', ack: { id: unlock, result: 'ok' } }));
    await eventually(async () => (await gql<{ command: CommandView }>(app.httpUrl, COMMAND, { id: unlock }, alice.accessToken)).data?.command.state === 'SUCCEEDED');
    // Entries that name her without being hers: an admin changing her role, twice.
    await gql(app.httpUrl, SET_ROLE, { u: 'alice', r: 'ADMIN' }, root.accessToken);
    await gql(app.httpUrl, SET_ROLE, { u: 'alice', r: 'USER' }, root.accessToken);
    const socket = watchedSocket(app.wsUrl, alice.accessToken);
    const feed = collect<{ name: string }>(socket.client, 'subscription ($d: ID) { lockChanged(deviceId: $d) { name } }', { d: lock.deviceId });
    await untilLive(
      (n) => gql(app.httpUrl, 'mutation ($d: ID!, $n: String!) { renameLock(deviceId: $d, name: $n) { name } }', { d: lock.deviceId, n: `probe ${n}` }, alice.accessToken),
      (n, ms) => [feed.waitFor((e) => e.name === `probe ${n}`, ms)],
    );

    // A wrong password deletes nothing.
    expect(errorCodes(await gql(app.httpUrl, DELETE, { p: 'not my password' }, alice.accessToken))).toEqual(['BAD_USER_INPUT']);
    expect(await app.services.store.users.findByUsername('alice')).not.toBeNull();

    expect((await gql(app.httpUrl, DELETE, { p: PASSWORD }, alice.accessToken)).data).toEqual({ deleteAccount: true });
    expect(await socket.closedWithin(1000)).toBe(4403);
    expect(errorCodes(await gql(app.httpUrl, EXPORT, {}, alice.accessToken))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(app.httpUrl, SIGN_IN, { username: 'alice', password: PASSWORD }))).toEqual(['UNAUTHENTICATED']);
    expect(await app.services.store.locks.findByDeviceId(lock.deviceId)).toBeNull();

    // The admin's audit log: nothing says "alice" any more, and her entries name one pseudonym.
    const entries = await auditAs(root.accessToken);
    expect(entries.filter((e) => e.actor === 'alice' || /(^|[^a-z0-9._-])alice([^a-z0-9._-]|$)/.test(e.detail ?? ''))).toEqual([]);
    const deleted = entries.find((e) => e.action === 'user.deleted')!;
    const pseudonym = deleted.detail!;
    expect(pseudonym).toMatch(/^deleted-[0-9a-f]{8}$/);
    expect(entries).toContainEqual(expect.objectContaining({ actor: 'root', action: 'user.setRole', detail: `${pseudonym}: USER → ADMIN` }));
    expect(entries).toContainEqual(expect.objectContaining({ actor: pseudonym, action: 'lock.remove', detail: null })); // the lock's name was hers
    expect(entries).toContainEqual(expect.objectContaining({ actor: pseudonym, action: 'user.signUp' }));

    // The name is free again, and its new owner inherits no history.
    const newcomer = await signUp(app.httpUrl, 'alice', 'another horse battery staple');
    expect(await auditAs(newcomer.accessToken)).toEqual([expect.objectContaining({ actor: 'alice', action: 'user.signUp' })]);
    client.end(true);
    await socket.client.dispose();
  });

  it('refuses to delete the only admin', async () => {
    expect(errorCodes(await gql(app.httpUrl, DELETE, { p: ADMIN.ADMIN_PASSWORD }, root.accessToken))).toEqual(['FORBIDDEN']);
    expect(await app.services.store.users.findByUsername('root')).not.toBeNull();
  });
});
