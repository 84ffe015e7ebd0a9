import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, signUp, wsClient, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, startLock } from '../src/test-support/locks.js';
import { collect, subscribed, eventually } from '../src/test-support/subscriptions.js';
import { COMMAND_UPDATED, LOCK, LOCK_CHANGED, UNLOCK, type CommandView, type LockEvent } from '../src/test-support/lock-operations.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';

let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;
const sims: SimulatedLock[] = [];

beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here', COMMAND_TIMEOUT_MS: '400' });
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
});
afterAll(async () => {
  for (const sim of sims) await sim.stop({ graceful: true }).catch(() => undefined);
  await app.close();
});

describe('a lock from registration to unlock', () => {
  it('registers, comes online, unlocks, confirms and shows UNLOCKED live', async () => {
    const lock = await registerLock(app, alice.accessToken, 'front-door');
    expect(lock.mqttUsername).toBe('front-door');
    const initial = await gql<{ lock: LockEvent }>(app.httpUrl, '{ lock(deviceId: "front-door") { status state online } }', {}, alice.accessToken);
    expect(initial.data?.lock).toEqual({ status: 'UNKNOWN', state: 'UNAVAILABLE', online: false });

    const client = wsClient(app.wsUrl, alice.accessToken);
    const changes = await subscribed<LockEvent>(app.websocketOperations, client, LOCK_CHANGED, { d: 'front-door' });
    const sim = await startLock(app, lock);
    sims.push(sim);
    await changes.waitFor((e) => e.online && e.status === 'LOCKED');

    const sent = await gql<{ unlock: { id: string; state: string; requestedBy: string } }>(app.httpUrl, UNLOCK, { d: 'front-door' }, alice.accessToken);
    expect(sent.data?.unlock).toMatchObject({ state: 'SENT', requestedBy: 'alice' });
    const id = sent.data?.unlock.id ?? '';
    const updates = collect<CommandView>(client, COMMAND_UPDATED, { id });
    const done = await eventually(async () => {
      const response = await gql<{ command: CommandView }>(app.httpUrl, 'query ($id: ID!) { command(id: $id) { id state reason } }', { id }, alice.accessToken);
      return response.data?.command.state === 'SUCCEEDED' ? response.data.command : null;
    });
    expect(done.state).toBe('SUCCEEDED');
    await changes.waitFor((e) => e.status === 'UNLOCKED');
    expect(sim.status).toBe('UNLOCKED');

    // A second command, watched through commandUpdated from the start.
    const again = await gql<{ lock: { id: string } }>(app.httpUrl, LOCK, { d: 'front-door' }, alice.accessToken);
    const watched = collect<CommandView>(client, COMMAND_UPDATED, { id: again.data?.lock.id });
    await eventually(async () => (await app.services.store.commands.findById(again.data?.lock.id ?? ''))?.state === 'SUCCEEDED');
    // commandUpdated starts with the command's current state, so a subscriber never misses an early ack.
    await watched.waitFor((e) => e.state === 'SUCCEEDED');
    expect(['SENT', 'SUCCEEDED']).toContain(updates.events[0]?.state);
    await changes.waitFor((e) => e.status === 'LOCKED' && changes.events.some((x) => x.status === 'UNLOCKED'));
    updates.stop();
    watched.stop();
    await client.dispose();

    const history = await gql<{ commands: { edges: { node: { action: string; state: string } }[]; pageInfo: { hasNextPage: boolean } } }>(
      app.httpUrl,
      'query ($d: ID!) { commands(deviceId: $d, first: 10) { edges { cursor node { action state } } pageInfo { hasNextPage endCursor } } }',
      { d: 'front-door' },
      alice.accessToken,
    );
    expect(history.data?.commands.edges.map((e) => e.node)).toEqual([
      { action: 'LOCK', state: 'SUCCEEDED' },
      { action: 'UNLOCK', state: 'SUCCEEDED' },
    ]);
    const audit = await gql<{ auditLog: { edges: { node: { action: string; result: string } }[] } }>(
      app.httpUrl,
      'query ($d: ID!) { auditLog(filter: { deviceId: $d }, first: 50) { edges { node { action result } } } }',
      { d: 'front-door' },
      alice.accessToken,
    );
    const actions = audit.data?.auditLog.edges.map((e) => `${e.node.action}:${e.node.result}`) ?? [];
    expect(actions).toEqual(expect.arrayContaining(['lock.register:ok', 'lock.online:AVAILABLE', 'command.unlock:SENT', 'command.unlock:SUCCEEDED', 'lock.status:UNLOCKED']));
  });

  it("keeps another user's lock invisible: NOT_FOUND, no events, nothing published", async () => {
    const lock = await registerLock(app, alice.accessToken, 'alice-only');
    const sim = await startLock(app, lock);
    sims.push(sim);
    await eventually(async () => (await app.services.store.locks.findByDeviceId('alice-only'))?.state === 'AVAILABLE');
    const bobSocket = wsClient(app.wsUrl, bob.accessToken);
    const bobFeed = collect<LockEvent>(bobSocket, LOCK_CHANGED, {});
    for (const operation of [UNLOCK, LOCK, 'query ($d: ID!) { lock(deviceId: $d) { name } }', 'mutation ($d: ID!) { removeLock(deviceId: $d) }']) {
      expect(errorCodes(await gql(app.httpUrl, operation, { d: 'alice-only' }, bob.accessToken))).toEqual(['NOT_FOUND']);
    }
    expect(errorCodes(await gql(app.httpUrl, UNLOCK, { d: 'no-such-lock' }, bob.accessToken))).toEqual(['NOT_FOUND']);
    const bobLocks = await gql<{ locks: unknown[] }>(app.httpUrl, '{ locks { deviceId } }', {}, bob.accessToken);
    expect(bobLocks.data?.locks).toEqual([]);
    // Alice's own command still reaches her lock, and Bob's feed stays silent.
    await gql(app.httpUrl, UNLOCK, { d: 'alice-only' }, alice.accessToken);
    await eventually(async () => sim.status === 'UNLOCKED');
    expect(sim.stats.received).toBe(1);
    expect(bobFeed.events).toEqual([]);
    await bobSocket.dispose();
  });

  it('refuses commands to an offline lock with LOCK_OFFLINE and publishes nothing', async () => {
    await registerLock(app, alice.accessToken, 'never-online');
    const response = await gql(app.httpUrl, UNLOCK, { d: 'never-online' }, alice.accessToken);
    expect(errorCodes(response)).toEqual(['LOCK_OFFLINE']);
    const page = await app.services.store.commands.listByDevice('never-online', { first: 10 });
    expect(page.items).toEqual([]);
  });

  it('refuses duplicate and invalid device ids with BAD_USER_INPUT', async () => {
    await registerLock(app, alice.accessToken, 'dup-lock');
    const dup = await gql(app.httpUrl, 'mutation { registerLock(deviceId: "dup-lock", name: "x") { deviceSecret } }', {}, bob.accessToken);
    expect(errorCodes(dup)).toEqual(['BAD_USER_INPUT']);
    expect(dup.errors?.[0]?.message).toContain('dup-lock');
    for (const bad of ['a/b', 'has+plus', '#', 'x']) {
      const response = await gql(app.httpUrl, 'mutation ($d: ID!) { registerLock(deviceId: $d, name: "x") { deviceSecret } }', { d: bad }, bob.accessToken);
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    }
  });
});
