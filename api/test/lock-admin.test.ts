import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp, wsClient, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, startLock } from '../src/test-support/locks.js';
import { subscribed, eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const LOCK_CHANGED = 'subscription { lockChanged { deviceId status owner { username } } }';
const AUDIT_FEED = 'subscription { auditAppended { action deviceId actor result } }';
const REASSIGN = 'mutation ($d: ID!, $u: String!) { reassignLock(deviceId: $d, username: $u) { deviceId owner { username } } }';
const AUDIT_LOG = 'query ($f: AuditFilterInput, $first: Int, $after: String) { auditLog(filter: $f, first: $first, after: $after) { edges { cursor node { action deviceId actor result detail } } pageInfo { hasNextPage endCursor } } }';

interface LockEvent {
  deviceId: string;
  status: string;
  owner: { username: string };
}
interface AuditNode {
  action: string;
  deviceId: string | null;
  actor: string | null;
  result: string;
  detail?: string | null;
}
interface AuditPage {
  auditLog: { edges: { cursor: string; node: AuditNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

let app: TestApp;
let admin: AuthResult;
let carol: AuthResult;
let dave: AuthResult;

beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here' });
  admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'root password here' })).data!.signIn;
  carol = await signUp(app.httpUrl, 'carol');
  dave = await signUp(app.httpUrl, 'dave');
});
afterAll(async () => {
  await app.close();
});

describe('admin reassignment', () => {
  it("moves a lock to another user, cuts off the former owner's live feed at once, and is audited", async () => {
    const lock = await registerLock(app, carol.accessToken, 'shed');
    const sim = await startLock(app, lock);
    const carolSocket = wsClient(app.wsUrl, carol.accessToken);
    const daveSocket = wsClient(app.wsUrl, dave.accessToken);
    const carolFeed = await subscribed<LockEvent>(app.websocketOperations, carolSocket, LOCK_CHANGED);
    const daveFeed = await subscribed<LockEvent>(app.websocketOperations, daveSocket, LOCK_CHANGED);
    const carolAudit = await subscribed<AuditNode>(app.websocketOperations, carolSocket, AUDIT_FEED);
    await gql(app.httpUrl, 'mutation { unlock(deviceId: "shed") { id } }', {}, carol.accessToken);
    await carolFeed.waitFor((e) => e.status === 'UNLOCKED');
    await carolAudit.waitFor((e) => e.action === 'command.unlock' && e.result === 'SUCCEEDED');

    expect(errorCodes(await gql(app.httpUrl, REASSIGN, { d: 'shed', u: 'dave' }, carol.accessToken))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(app.httpUrl, REASSIGN, { d: 'shed', u: 'nobody' }, admin.accessToken))).toEqual(['NOT_FOUND']);
    const moved = await gql(app.httpUrl, REASSIGN, { d: 'shed', u: 'dave' }, admin.accessToken);
    expect(moved.data).toEqual({ reassignLock: { deviceId: 'shed', owner: { username: 'dave' } } });
    await daveFeed.waitFor((e) => e.deviceId === 'shed' && e.owner.username === 'dave');

    // Carol lost access at once: queries, commands, and her open subscription.
    const carolEventsBefore = carolFeed.events.length;
    expect(errorCodes(await gql(app.httpUrl, 'mutation { lock(deviceId: "shed") { id } }', {}, carol.accessToken))).toEqual(['NOT_FOUND']);
    await gql(app.httpUrl, 'mutation { lock(deviceId: "shed") { id } }', {}, dave.accessToken);
    await daveFeed.waitFor((e) => e.status === 'LOCKED');
    expect(carolFeed.events.length).toBe(carolEventsBefore);
    expect(carolAudit.events.some((e) => e.action === 'command.lock')).toBe(false);

    const audit = await gql<AuditPage>(app.httpUrl, AUDIT_LOG, { f: { action: 'lock.reassign' } }, admin.accessToken);
    expect(audit.data?.auditLog.edges.map((e) => e.node)).toEqual([{ action: 'lock.reassign', deviceId: 'shed', actor: 'root', result: 'ok', detail: 'carol → dave' }]);
    await sim.stop({ graceful: true });
    await carolSocket.dispose();
    await daveSocket.dispose();
  });
});

describe('what an admin and a user list (the app\'s "My locks" and Admin screen)', () => {
  const LIST = '{ locks { deviceId owner { username } } }';
  type Listed = { locks: { deviceId: string; owner: { username: string } }[] };

  it('lists every lock with its owner to an admin, only their own to a user, and users to admins only', async () => {
    await registerLock(app, admin.accessToken, 'root-porch', 'Porch');
    await registerLock(app, carol.accessToken, 'carol-shed', 'Shed');
    const adminList = (await gql<Listed>(app.httpUrl, LIST, {}, admin.accessToken)).data?.locks;
    expect(adminList).toEqual(expect.arrayContaining([
      { deviceId: 'root-porch', owner: { username: 'root' } },
      { deviceId: 'carol-shed', owner: { username: 'carol' } },
    ]));
    const carolList = (await gql<Listed>(app.httpUrl, LIST, {}, carol.accessToken)).data?.locks ?? [];
    expect(carolList.map((l) => l.deviceId)).toContain('carol-shed');
    expect(carolList.every((l) => l.owner.username === 'carol')).toBe(true);
    expect(errorCodes(await gql(app.httpUrl, '{ users { username } }', {}, carol.accessToken))).toEqual(['FORBIDDEN']);
  });

  it("tells an admin who a lock was given to: their feed carries the new owner, and no lockAccessLost", async () => {
    await registerLock(app, admin.accessToken, 'root-gate', 'Gate');
    const socket = wsClient(app.wsUrl, admin.accessToken);
    const feed = await subscribed<LockEvent>(app.websocketOperations, socket, LOCK_CHANGED);
    const lost = await subscribed<{ deviceId: string }>(app.websocketOperations, socket, 'subscription { lockAccessLost { deviceId } }');
    await gql(app.httpUrl, REASSIGN, { d: 'root-gate', u: 'carol' }, admin.accessToken);
    // The app's "My locks" drops the lock by this owner: an admin still sees it, so nothing else says so.
    await feed.waitFor((e) => e.deviceId === 'root-gate' && e.owner.username === 'carol');
    expect(lost.events).toEqual([]);
    await socket.dispose();
  });
});

describe('audit log', () => {
  it("shows owners their locks' entries, admins everything, in pages", async () => {
    await registerLock(app, carol.accessToken, 'carol-gate');
    await registerLock(app, dave.accessToken, 'dave-gate');
    for (const name of ['a', 'b', 'c']) await gql(app.httpUrl, `mutation { renameLock(deviceId: "carol-gate", name: "${name}") { name } }`, {}, carol.accessToken);

    const carolView = await gql<AuditPage>(app.httpUrl, AUDIT_LOG, { first: 100 }, carol.accessToken);
    const devices = new Set(carolView.data?.auditLog.edges.map((e) => e.node.deviceId));
    expect(devices.has('carol-gate')).toBe(true);
    expect(devices.has('dave-gate')).toBe(false);
    const adminView = await gql<AuditPage>(app.httpUrl, AUDIT_LOG, { f: { deviceId: 'dave-gate' } }, admin.accessToken);
    expect(adminView.data?.auditLog.edges.map((e) => e.node.action)).toEqual(['lock.register']);

    // Paging: two at a time, newest first, no gaps or repeats.
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page: { data?: AuditPage | null } = await gql<AuditPage>(app.httpUrl, AUDIT_LOG, { f: { deviceId: 'carol-gate' }, first: 2, after }, carol.accessToken);
      seen.push(...(page.data?.auditLog.edges.map((e) => e.node.detail ?? e.node.action) ?? []));
      if (!page.data?.auditLog.pageInfo.hasNextPage) break;
      after = page.data.auditLog.pageInfo.endCursor;
    }
    expect(seen).toEqual(['b → c', 'a → b', 'Front door → a', 'lock.register'].map((d) => (d === 'lock.register' ? 'Front door' : d)));
    expect(errorCodes(await gql(app.httpUrl, AUDIT_LOG, { after: 'bm90LWEtY3Vyc29y' }, carol.accessToken))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(app.httpUrl, AUDIT_LOG, { first: 1000 }, carol.accessToken))).toEqual(['BAD_USER_INPUT']);
  });

  it("filters by what people call a lock, its name or device id, without regard to case, and never past a viewer's scope", async () => {
    await registerLock(app, carol.accessToken, 'Carol-Porch', 'Back Porch');
    const devices = async (device: string, token: string) =>
      new Set((await gql<AuditPage>(app.httpUrl, AUDIT_LOG, { f: { device } }, token)).data?.auditLog.edges.map((e) => e.node.deviceId));
    expect(await devices('back porch', admin.accessToken)).toEqual(new Set(['Carol-Porch']));
    expect(await devices(' CAROL-porch ', admin.accessToken)).toEqual(new Set(['Carol-Porch']));
    expect(await devices('back porch', carol.accessToken)).toEqual(new Set(['Carol-Porch']));
    // Dave may type the name of carol's lock: he sees nothing of it.
    expect(await devices('Back Porch', dave.accessToken)).toEqual(new Set());
    expect(await devices('back', admin.accessToken)).toEqual(new Set());
  });
});

describe('secrets and removal', () => {
  it('ends the live broker session of a lock whose secret is rotated', async () => {
    const lock = await registerLock(app, carol.accessToken, 'rotated-live');
    const sim = await startLock(app, lock);
    await eventually(async () => (await app.services.store.locks.findByDeviceId('rotated-live'))?.state === 'AVAILABLE');
    const offline = new Promise<void>((resolve) => sim.once('offline', () => resolve()));
    await gql(app.httpUrl, 'mutation { rotateDeviceSecret(deviceId: "rotated-live") { deviceSecret } }', {}, carol.accessToken);
    await offline;
    const row = await eventually(async () => {
      const found = await app.services.store.locks.findByDeviceId('rotated-live');
      return found?.state === 'UNAVAILABLE' ? found : null;
    });
    expect(row.issue).toBe('Connection lost');
    await sim.stop({ graceful: false });
  });

  it('rotates a device secret: the old one no longer opens the broker, the new one does', async () => {
    const lock = await registerLock(app, carol.accessToken, 'rotating');
    const rotated = await gql<{ rotateDeviceSecret: { deviceSecret: string; mqttPassword: string } }>(
      app.httpUrl,
      'mutation { rotateDeviceSecret(deviceId: "rotating") { deviceSecret mqttPassword } }',
      {},
      carol.accessToken,
    );
    const fresh = rotated.data?.rotateDeviceSecret;
    expect(fresh?.deviceSecret).not.toBe(lock.deviceSecret);
    await expect(startLock(app, lock, { connectTimeoutMs: 1000 })).rejects.toThrow();
    const sim = await startLock(app, { ...lock, deviceSecret: fresh?.deviceSecret ?? '', mqttPassword: fresh?.mqttPassword ?? '' });
    await eventually(async () => (await app.services.store.locks.findByDeviceId('rotating'))?.state === 'AVAILABLE');
    await sim.stop({ graceful: true });
  });

  it('removes a lock for its owner, and never for someone else', async () => {
    await registerLock(app, carol.accessToken, 'to-remove');
    expect(errorCodes(await gql(app.httpUrl, 'mutation { removeLock(deviceId: "to-remove") }', {}, dave.accessToken))).toEqual(['NOT_FOUND']);
    expect((await gql(app.httpUrl, 'mutation { removeLock(deviceId: "to-remove") }', {}, carol.accessToken)).data).toEqual({ removeLock: true });
    expect(errorCodes(await gql(app.httpUrl, '{ lock(deviceId: "to-remove") { name } }', {}, carol.accessToken))).toEqual(['NOT_FOUND']);
  });
});
