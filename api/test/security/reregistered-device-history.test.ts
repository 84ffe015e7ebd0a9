/**
 * Issue 9 item 10: a device id registered after another user removed it showed that user's audit
 * history (their lock names, their statuses) to the new owner. A lock's history now starts at its
 * registration; the former owner still sees what they did, and admins see everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, SIGN_IN, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { registerLock } from '../../src/test-support/locks.js';
import { publishStatus, rawLock, signedStatus } from '../../src/test-support/raw-lock.js';
import { eventually } from '../../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const AUDIT = `query ($f: AuditFilterInput) { auditLog(filter: $f, first: 100) { edges { node { actor action deviceId result detail } } } }`;
const RENAME = 'mutation ($d: ID!, $n: String!) { renameLock(deviceId: $d, name: $n) { name } }';
const REMOVE = 'mutation ($d: ID!) { removeLock(deviceId: $d) }';
const DEVICE = 'second-hand-lock';

interface Entry {
  actor: string | null;
  action: string;
  deviceId: string | null;
  result: string;
  detail: string | null;
}

let app: TestApp;
let admin: AuthResult;
let alice: AuthResult;
let bob: AuthResult;

async function auditOf(token: string, filter: Record<string, string> = {}): Promise<Entry[]> {
  const response = await gql<{ auditLog: { edges: { node: Entry }[] } }>(app.httpUrl, AUDIT, { f: filter }, token);
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.auditLog.edges.map((edge) => edge.node);
}
const describe_ = (entries: Entry[]) => entries.map((e) => `${e.actor ?? 'system'} ${e.action} ${e.detail ?? ''}`.trim());

beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'bootstrap password' });
  admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'bootstrap password' })).data!.signIn;
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');

  // Alice's time with the device: a private name, a status from the lock, then removal.
  const hers = await registerLock(app, alice.accessToken, DEVICE, 'Alice bedroom');
  await gql(app.httpUrl, RENAME, { d: DEVICE, n: 'Alice safe' }, alice.accessToken);
  const client = await rawLock(app, hers);
  await publishStatus(app, client, hers, signedStatus(hers, { seq: 1, status: 'UNLOCKED' }));
  await eventually(async () => (await app.services.store.locks.findByDeviceId(DEVICE))?.status === 'UNLOCKED');
  client.end(true);
  await gql(app.httpUrl, REMOVE, { d: DEVICE }, alice.accessToken);
  // Audit times are in milliseconds: the next registration must not share Alice's last one.
  await new Promise((resolve) => setTimeout(resolve, 5));
  await registerLock(app, bob.accessToken, DEVICE, 'Bob front door');
});
afterAll(async () => {
  await app.close();
});

describe("a device id's history after it changed hands by removal and registration", () => {
  it("shows the new owner only the entries since their registration, none of the former owner's", async () => {
    expect(describe_(await auditOf(bob.accessToken, { deviceId: DEVICE }))).toEqual(['bob lock.register Bob front door']);
    const everything = JSON.stringify(await auditOf(bob.accessToken));
    expect(everything).not.toMatch(/Alice|alice/);
  });

  it('still shows the former owner what they did themselves', async () => {
    const hers = describe_(await auditOf(alice.accessToken, { deviceId: DEVICE }));
    expect(hers).toEqual(['alice lock.remove Alice safe', 'alice lock.rename Alice bedroom → Alice safe', 'alice lock.register Alice bedroom']);
  });

  it('shows admins the whole history of the device id', async () => {
    const all = describe_(await auditOf(admin.accessToken, { deviceId: DEVICE }));
    expect(all).toEqual(expect.arrayContaining(['bob lock.register Bob front door', 'alice lock.register Alice bedroom', 'alice lock.remove Alice safe']));
    expect(all.some((line) => line.startsWith('system lock.'))).toBe(true);
  });
});
