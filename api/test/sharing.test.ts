/**
 * Guest access over real HTTP and graphql-ws (issue 15 item 1): alice shares her lock with bob as
 * a guest (window, weekly schedule in the lock's time zone) or as a co-owner with carol; what each
 * may do; commands outside the rule are refused with ACCESS_WINDOW_CLOSED and never reach the lock
 * (a raw MQTT client plays the lock and catches every signed command); revocation and narrowing
 * take effect at once, open subscriptions included; mallory (no share) sees nothing.
 */
import type { Client } from 'graphql-ws';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchCommands } from '../src/test-support/command-catcher.js';
import { errorCodes, gql, signUp, wsClient, type AuthResult } from '../src/test-support/graphql-client.js';
import { UNLOCK } from '../src/test-support/lock-operations.js';
import { registerLock } from '../src/test-support/locks.js';
import { onlineRawLock } from '../src/test-support/raw-lock.js';
import { LOCK_SHARES, MY_LOCKS, REVOKE_SHARE, SET_TIME_ZONE, SHARE_LOCK, shareLock, UPDATE_SHARE, type ShareView } from '../src/test-support/sharing-operations.js';
import { subscribed } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const RENAME = 'mutation ($d: ID!) { renameLock(deviceId: $d, name: "Renamed") { name } }';
const REMOVE = 'mutation ($d: ID!) { removeLock(deviceId: $d) }';
const ROTATE = 'mutation ($d: ID!) { rotateDeviceSecret(deviceId: $d) { deviceSecret } }';
const SETTINGS = 'mutation ($d: ID!) { setLockSettings(deviceId: $d, settings: { autoRelockSeconds: 5, bootAction: STAY, lockWhileDoorOpen: REFUSE }) { state } }';
const LOCK = 'query ($d: ID!) { lock(deviceId: $d) { deviceId myRole } }';
const COMMANDS = 'query ($d: ID!) { commands(deviceId: $d) { edges { node { id requestedBy } } } }';
const AUDIT = 'query ($d: ID) { auditLog(filter: { deviceId: $d }, first: 100) { edges { node { action actor result detail } } } }';
const LOCK_CHANGED = 'subscription { lockChanged { deviceId name } }';
const ACCESS_LOST = 'subscription { lockAccessLost { deviceId reason } }';

let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;
let carol: AuthResult;
let mallory: AuthResult;
const sockets: Client[] = [];
const mqttClients: MqttClient[] = [];

function socket(user: AuthResult): Client {
  const client = wsClient(app.wsUrl, user.accessToken, { lazy: false });
  sockets.push(client);
  return client;
}

async function onlineLock() {
  const online = await onlineRawLock(app, alice.accessToken);
  mqttClients.push(online.client);
  return { ...online, catcher: await catchCommands(app, online.client, online.lock) };
}

const unlockAs = (user: AuthResult, deviceId: string) => gql<{ unlock: { id: string; requestedBy: string } }>(app.httpUrl, UNLOCK, { d: deviceId }, user.accessToken);
const sleepUntil = (t: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, t - Date.now())));

beforeAll(async () => {
  app = await startTestApp({ COMMAND_TIMEOUT_MS: '60000' });
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
  carol = await signUp(app.httpUrl, 'carol');
  mallory = await signUp(app.httpUrl, 'mallory');
});
afterAll(async () => {
  for (const client of sockets) await client.dispose();
  for (const client of mqttClients) client.end(true);
  await app.close();
});

describe('a guest with a time window', () => {
  it('unlocks inside the window; at endsAt the command is refused with ACCESS_WINDOW_CLOSED, audited, and nothing reaches the lock', async () => {
    const { lock, catcher } = await onlineLock();
    const endsAt = new Date(Date.now() + 2500);
    const share = await shareLock(app.httpUrl, alice, lock.deviceId, 'bob', 'GUEST', { startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: endsAt.toISOString() });
    expect(share).toMatchObject({ guest: 'bob', role: 'GUEST', endsAt: endsAt.toISOString(), allowedNow: true, allowedUntil: endsAt.toISOString(), nextAllowedAt: null, createdBy: 'alice' });

    const inside = await unlockAs(bob, lock.deviceId);
    expect(inside.errors).toBeUndefined();
    expect(inside.data?.unlock.requestedBy).toBe('bob');
    await catcher.waitForCount(1);

    await sleepUntil(endsAt.getTime());
    const outside = await unlockAs(bob, lock.deviceId);
    expect(errorCodes(outside)).toEqual(['ACCESS_WINDOW_CLOSED']);
    expect(outside.errors?.[0]?.extensions?.nextAllowedAt).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(catcher.received).toHaveLength(1);
    const history = await gql<{ auditLog: { edges: { node: { action: string; actor: string; result: string } }[] } }>(app.httpUrl, AUDIT, { d: lock.deviceId }, alice.accessToken);
    expect(history.data?.auditLog.edges.map((e) => e.node)).toContainEqual(expect.objectContaining({ action: 'command.unlock', actor: 'bob', result: 'ACCESS_WINDOW_CLOSED' }));
  });

  it('before the window opens: refused with nextAllowedAt exactly startsAt', async () => {
    const { lock, catcher } = await onlineLock();
    const startsAt = new Date(Date.now() + 3_600_000);
    await shareLock(app.httpUrl, alice, lock.deviceId, 'bob', 'GUEST', { startsAt: startsAt.toISOString() });
    const early = await unlockAs(bob, lock.deviceId);
    expect(errorCodes(early)).toEqual(['ACCESS_WINDOW_CLOSED']);
    expect(early.errors?.[0]?.extensions?.nextAllowedAt).toBe(startsAt.toISOString());
    const mine = await gql<{ locks: { deviceId: string; myRole: string; myShare: { allowedNow: boolean; nextAllowedAt: string | null } | null }[] }>(app.httpUrl, MY_LOCKS, {}, bob.accessToken);
    expect(mine.data?.locks.find((l) => l.deviceId === lock.deviceId)).toMatchObject({ myRole: 'GUEST', myShare: { allowedNow: false, nextAllowedAt: startsAt.toISOString() } });
    expect(catcher.received).toHaveLength(0);
  });
});

describe('a guest on a weekly schedule in the lock\'s time zone', () => {
  // Asia/Tokyo has no daylight saving: local midnight is 15:00 UTC the day before.
  const tokyoDay = (t: number) => new Date(t + 9 * 3_600_000).getUTCDay();
  const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
  const nextTokyoMidnight = (t: number) => {
    const local = new Date(t + 9 * 3_600_000);
    return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1) - 9 * 3_600_000);
  };

  it("today's slot lets bob in until the lock's local midnight; tomorrow's refuses him until then", async () => {
    const { lock, catcher } = await onlineLock();
    const tz = await gql<{ setLockTimeZone: { timeZone: string } }>(app.httpUrl, SET_TIME_ZONE, { d: lock.deviceId, tz: 'Asia/Tokyo' }, alice.accessToken);
    expect(tz.data?.setLockTimeZone.timeZone).toBe('Asia/Tokyo');
    const now = Date.now();
    const today = DAYS[tokyoDay(now)] ?? '';
    const tomorrow = DAYS[(tokyoDay(now) + 1) % 7] ?? '';
    const midnight = nextTokyoMidnight(now).toISOString();

    const open = await shareLock(app.httpUrl, alice, lock.deviceId, 'bob', 'GUEST', { weekly: [{ days: [today], from: '00:00', to: '24:00' }] });
    expect(open).toMatchObject({ allowedNow: true, allowedUntil: midnight });
    expect((await unlockAs(bob, lock.deviceId)).errors).toBeUndefined();
    await catcher.waitForCount(1);

    const updated = await gql<{ updateShare: ShareView }>(app.httpUrl, UPDATE_SHARE, { id: open.id, r: 'GUEST', a: { weekly: [{ days: [tomorrow], from: '00:00', to: '24:00' }] } }, alice.accessToken);
    expect(updated.data?.updateShare).toMatchObject({ allowedNow: false, nextAllowedAt: midnight });
    const refused = await unlockAs(bob, lock.deviceId);
    expect(errorCodes(refused)).toEqual(['ACCESS_WINDOW_CLOSED']);
    expect(refused.errors?.[0]?.extensions?.nextAllowedAt).toBe(midnight);
    expect(catcher.received).toHaveLength(1);
  });

  it('an invalid rule or time zone is BAD_USER_INPUT naming the field', async () => {
    const lock = await registerLock(app, alice.accessToken);
    const bad = await gql(app.httpUrl, SHARE_LOCK, { d: lock.deviceId, u: 'bob', r: 'GUEST', a: { weekly: [{ days: ['MONDAY'], from: '18:00', to: '08:00' }] } }, alice.accessToken);
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(bad.errors?.[0]?.extensions?.problems)).toContain('weekly[0]');
    const zone = await gql(app.httpUrl, SET_TIME_ZONE, { d: lock.deviceId, tz: 'Mars/Olympus' }, alice.accessToken);
    expect(errorCodes(zone)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('what each role may do', () => {
  it('a co-owner unlocks at any time, renames, sets the time zone and reads the shares, sees the full history, but cannot share, remove or rotate', async () => {
    const { lock, catcher } = await onlineLock();
    await shareLock(app.httpUrl, alice, lock.deviceId, 'carol', 'CO_OWNER', { endsAt: new Date(Date.now() - 1000 + 3_600_000).toISOString() });
    expect((await unlockAs(carol, lock.deviceId)).errors).toBeUndefined();
    await catcher.waitForCount(1);
    expect((await gql(app.httpUrl, RENAME, { d: lock.deviceId }, carol.accessToken)).errors).toBeUndefined();
    expect((await gql(app.httpUrl, SET_TIME_ZONE, { d: lock.deviceId, tz: 'Europe/Berlin' }, carol.accessToken)).errors).toBeUndefined();
    const shares = await gql<{ lockShares: ShareView[] }>(app.httpUrl, LOCK_SHARES, { d: lock.deviceId }, carol.accessToken);
    expect(shares.data?.lockShares.map((s) => s.guest)).toEqual(['carol']);
    const history = await gql<{ auditLog: { edges: { node: { action: string; actor: string } }[] } }>(app.httpUrl, AUDIT, { d: lock.deviceId }, carol.accessToken);
    expect(history.data?.auditLog.edges.map((e) => e.node.action)).toEqual(expect.arrayContaining(['lock.register', 'lock.shareCreated', 'lock.rename', 'lock.timeZone']));
    expect(errorCodes(await gql(app.httpUrl, SHARE_LOCK, { d: lock.deviceId, u: 'bob', r: 'GUEST' }, carol.accessToken))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(app.httpUrl, REMOVE, { d: lock.deviceId }, carol.accessToken))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(app.httpUrl, ROTATE, { d: lock.deviceId }, carol.accessToken))).toEqual(['FORBIDDEN']);
    expect((await gql<{ lock: { myRole: string } }>(app.httpUrl, LOCK, { d: lock.deviceId }, carol.accessToken)).data?.lock.myRole).toBe('CO_OWNER');
  });

  it('a guest cannot rename, remove, rotate, share, change settings or the time zone, nor list shares, and sees only their own history', async () => {
    const { lock, catcher } = await onlineLock();
    await shareLock(app.httpUrl, alice, lock.deviceId, 'carol', 'CO_OWNER');
    await shareLock(app.httpUrl, alice, lock.deviceId, 'bob', 'GUEST');
    expect((await unlockAs(carol, lock.deviceId)).errors).toBeUndefined();
    expect((await unlockAs(bob, lock.deviceId)).errors).toBeUndefined();
    await catcher.waitForCount(2);
    for (const [operation, variables] of [
      [RENAME, {}],
      [REMOVE, {}],
      [ROTATE, {}],
      [SETTINGS, {}],
      [SHARE_LOCK, { u: 'mallory', r: 'GUEST' }],
      [SET_TIME_ZONE, { tz: 'Europe/Paris' }],
      [LOCK_SHARES, {}],
    ] as const) {
      expect(errorCodes(await gql(app.httpUrl, operation, { d: lock.deviceId, ...variables }, bob.accessToken)), operation).toEqual(['FORBIDDEN']);
    }
    const commands = await gql<{ commands: { edges: { node: { requestedBy: string } }[] } }>(app.httpUrl, COMMANDS, { d: lock.deviceId }, bob.accessToken);
    expect(commands.data?.commands.edges.map((e) => e.node.requestedBy)).toEqual(['bob']);
    const ownersView = await gql<{ commands: { edges: { node: { requestedBy: string } }[] } }>(app.httpUrl, COMMANDS, { d: lock.deviceId }, alice.accessToken);
    expect(ownersView.data?.commands.edges.map((e) => e.node.requestedBy).sort()).toEqual(['bob', 'carol']);
    const history = await gql<{ auditLog: { edges: { node: { actor: string } }[] } }>(app.httpUrl, AUDIT, { d: lock.deviceId }, bob.accessToken);
    const actors = new Set(history.data?.auditLog.edges.map((e) => e.node.actor));
    expect([...actors]).toEqual(['bob']);
    expect((await gql<{ lock: { myRole: string } }>(app.httpUrl, LOCK, { d: lock.deviceId }, bob.accessToken)).data?.lock.myRole).toBe('GUEST');
  });

  it('someone without a share gets NOT_FOUND, exactly as for a missing lock', async () => {
    const lock = await registerLock(app, alice.accessToken);
    await shareLock(app.httpUrl, alice, lock.deviceId, 'bob', 'GUEST');
    for (const operation of [LOCK, UNLOCK, LOCK_SHARES, RENAME]) {
      expect(errorCodes(await gql(app.httpUrl, operation, { d: lock.deviceId }, mallory.accessToken)), operation).toEqual(['NOT_FOUND']);
    }
    const list = await gql<{ locks: { deviceId: string }[] }>(app.httpUrl, MY_LOCKS, {}, mallory.accessToken);
    expect(list.data?.locks.map((l) => l.deviceId)).not.toContain(lock.deviceId);
  });

  it("bob's lock list has his own locks and the shared one, each with his role", async () => {
    const own = await registerLock(app, bob.accessToken, undefined, 'Bob own');
    const shared = await registerLock(app, alice.accessToken, undefined, 'Alice shared');
    await shareLock(app.httpUrl, alice, shared.deviceId, 'bob', 'GUEST');
    const list = await gql<{ locks: { deviceId: string; myRole: string; timeZone: string; myShare: { role: string } | null }[] }>(app.httpUrl, MY_LOCKS, {}, bob.accessToken);
    expect(list.data?.locks.find((l) => l.deviceId === own.deviceId)).toMatchObject({ myRole: 'OWNER', myShare: null, timeZone: 'UTC' });
    expect(list.data?.locks.find((l) => l.deviceId === shared.deviceId)).toMatchObject({ myRole: 'GUEST', myShare: { role: 'GUEST' } });
  });
});

describe('revoking and narrowing take effect at once', () => {
  it("revocation during a live subscription: bob's session gets lockAccessLost SHARE_REVOKED within 1 s and no more lockChanged for the lock", async () => {
    const { lock } = await onlineLock();
    const share = await shareLock(app.httpUrl, alice, lock.deviceId, 'bob', 'GUEST');
    const bobSocket = socket(bob);
    const changes = await subscribed<{ deviceId: string; name: string }>(app.websocketOperations, bobSocket, LOCK_CHANGED);
    const lost = await subscribed<{ deviceId: string; reason: string }>(app.websocketOperations, bobSocket, ACCESS_LOST);
    const alicesChanges = await subscribed<{ deviceId: string; name: string }>(app.websocketOperations, socket(alice), LOCK_CHANGED);
    await gql(app.httpUrl, 'mutation ($d: ID!) { renameLock(deviceId: $d, name: "Before") { name } }', { d: lock.deviceId }, alice.accessToken);
    await changes.waitFor((c) => c.deviceId === lock.deviceId && c.name === 'Before', 2000);

    const revokedAt = Date.now();
    expect((await gql(app.httpUrl, REVOKE_SHARE, { id: share.id }, alice.accessToken)).data).toEqual({ revokeShare: true });
    expect(await lost.waitFor((e) => e.deviceId === lock.deviceId, 1000)).toEqual({ deviceId: lock.deviceId, reason: 'SHARE_REVOKED' });
    expect(Date.now() - revokedAt).toBeLessThan(1000);

    await gql(app.httpUrl, 'mutation ($d: ID!) { renameLock(deviceId: $d, name: "After") { name } }', { d: lock.deviceId }, alice.accessToken);
    await alicesChanges.waitFor((c) => c.deviceId === lock.deviceId && c.name === 'After', 2000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(changes.events.filter((c) => c.name === 'After')).toEqual([]);
    expect(errorCodes(await unlockAs(bob, lock.deviceId))).toEqual(['NOT_FOUND']);
  });

  it('narrowing a share to a past window refuses the next command at once and drops the lock from his sessions', async () => {
    const { lock, catcher } = await onlineLock();
    const share = await shareLock(app.httpUrl, alice, lock.deviceId, 'bob', 'GUEST');
    const lost = await subscribed<{ deviceId: string; reason: string }>(app.websocketOperations, socket(bob), ACCESS_LOST);
    const past = { startsAt: new Date(Date.now() - 7_200_000).toISOString(), endsAt: new Date(Date.now() - 3_600_000).toISOString() };
    const narrowed = await gql<{ updateShare: ShareView }>(app.httpUrl, UPDATE_SHARE, { id: share.id, r: 'GUEST', a: past }, alice.accessToken);
    expect(narrowed.data?.updateShare).toMatchObject({ allowedNow: false, nextAllowedAt: null });
    expect(await lost.waitFor((e) => e.deviceId === lock.deviceId, 1000)).toMatchObject({ reason: 'SHARE_REVOKED' });
    expect(errorCodes(await unlockAs(bob, lock.deviceId))).toEqual(['ACCESS_WINDOW_CLOSED']);
    expect(catcher.received).toHaveLength(0);
  });

  it('a guest may leave (revoke their own share); then the lock is NOT_FOUND for them', async () => {
    const lock = await registerLock(app, alice.accessToken);
    const share = await shareLock(app.httpUrl, alice, lock.deviceId, 'bob', 'GUEST');
    expect((await gql(app.httpUrl, REVOKE_SHARE, { id: share.id }, bob.accessToken)).data).toEqual({ revokeShare: true });
    expect(errorCodes(await gql(app.httpUrl, LOCK, { d: lock.deviceId }, bob.accessToken))).toEqual(['NOT_FOUND']);
    const history = await gql<{ auditLog: { edges: { node: { action: string; detail: string } }[] } }>(app.httpUrl, AUDIT, { d: lock.deviceId }, alice.accessToken);
    expect(history.data?.auditLog.edges.map((e) => e.node)).toContainEqual(expect.objectContaining({ action: 'lock.shareRevoked', detail: 'bob left' }));
  });

  it('a co-owner cannot revoke or change another share (FORBIDDEN)', async () => {
    const lock = await registerLock(app, alice.accessToken);
    await shareLock(app.httpUrl, alice, lock.deviceId, 'carol', 'CO_OWNER');
    const bobs = await shareLock(app.httpUrl, alice, lock.deviceId, 'bob', 'GUEST');
    expect(errorCodes(await gql(app.httpUrl, REVOKE_SHARE, { id: bobs.id }, carol.accessToken))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(app.httpUrl, UPDATE_SHARE, { id: bobs.id, r: 'CO_OWNER' }, carol.accessToken))).toEqual(['FORBIDDEN']);
    expect((await app.services.store.lockShares.findById(bobs.id))?.role).toBe('GUEST');
  });
});
