/**
 * Attack: insecure direct object reference. A signed-in stranger names another
 * user's lock or command id in every operation that takes one.
 * Defence: every lock and command lookup goes through the viewer's role on the lock (sharing/lock-role.ts); someone
 * else's lock answers exactly like a missing one (NOT_FOUND) and nothing changes.
 * The operations are enumerated from schema.graphql, so a new one without a case fails here.
 */
import { buildSchema, getNamedType, isInputObjectType, type GraphQLArgument, type GraphQLInputType } from 'graphql';
import { readFileSync } from 'node:fs';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../../src/graphql/schema-file.js';
import { errorCodes, gql, signUp, wsClient, wsQuery, type AuthResult, type GraphQLResponse } from '../../src/test-support/graphql-client.js';
import { COMMAND_UPDATED, LOCK_CHANGED, UNLOCK, type LockEvent } from '../../src/test-support/lock-operations.js';
import { registerLock, type Registered } from '../../src/test-support/locks.js';
import { onlineRawLock } from '../../src/test-support/raw-lock.js';
import { collect, eventually } from '../../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;
let victim: Registered;
let victimClient: MqttClient;
let commandId: string;
const commandsSeenByTheLock: string[] = [];

beforeAll(async () => {
  app = await startTestApp({ COMMAND_TIMEOUT_MS: '60000' });
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
  ({ lock: victim, client: victimClient } = await onlineRawLock(app, alice.accessToken));
  victimClient.on('message', (_topic, payload) => commandsSeenByTheLock.push(payload.toString()));
  await victimClient.subscribeAsync(app.topics.of(victim.deviceId, 'cmd'), { qos: 1 });
  const sent = await gql<{ unlock: { id: string } }>(app.httpUrl, UNLOCK, { d: victim.deviceId }, alice.accessToken);
  commandId = sent.data?.unlock.id ?? '';
  await eventually(async () => commandsSeenByTheLock.length === 1);
});
afterAll(async () => {
  victimClient.end(true);
  await app.close();
});

/** Everything bob could have changed about alice's lock. */
async function victimState() {
  const lock = await app.services.store.locks.findByDeviceId(victim.deviceId);
  const commands = await app.services.store.commands.listByDevice(victim.deviceId, { first: 100 });
  const command = await app.services.store.commands.findById(commandId);
  const settings = await app.services.store.lockSettings.find(victim.deviceId);
  const shares = await app.services.store.lockShares.listByDevice(victim.deviceId);
  const invitations = await app.services.store.lockShares.listPendingInvitations(victim.deviceId, new Date());
  return { lock, commands: commands.items.map((c) => c.id), command, settings, shares, invitations, published: commandsSeenByTheLock.length };
}

interface Attack {
  /** The error code bob must get. */
  code: string;
  run(): Promise<GraphQLResponse>;
}

const asBob = (query: string, variables: Record<string, unknown> = {}) => gql(app.httpUrl, query, variables, bob.accessToken);

/** Every Query/Mutation field that takes a lock or command id, attacked over HTTP. */
const httpAttacks: Record<string, Attack> = {
  'Query.lock': { code: 'NOT_FOUND', run: () => asBob('query ($d: ID!) { lock(deviceId: $d) { name } }', { d: victim.deviceId }) },
  'Query.command': { code: 'NOT_FOUND', run: () => asBob('query ($id: ID!) { command(id: $id) { state } }', { id: commandId }) },
  'Query.commands': { code: 'NOT_FOUND', run: () => asBob('query ($d: ID!) { commands(deviceId: $d) { edges { node { id } } } }', { d: victim.deviceId }) },
  'Mutation.lock': { code: 'NOT_FOUND', run: () => asBob('mutation ($d: ID!) { lock(deviceId: $d) { id } }', { d: victim.deviceId }) },
  'Mutation.unlock': { code: 'NOT_FOUND', run: () => asBob('mutation ($d: ID!) { unlock(deviceId: $d) { id } }', { d: victim.deviceId }) },
  'Mutation.renameLock': { code: 'NOT_FOUND', run: () => asBob('mutation ($d: ID!) { renameLock(deviceId: $d, name: "pwned") { name } }', { d: victim.deviceId }) },
  'Mutation.setLockSettings': {
    code: 'NOT_FOUND',
    run: () =>
      asBob('mutation ($d: ID!) { setLockSettings(deviceId: $d, settings: { autoRelockSeconds: 1, bootAction: LOCK, lockWhileDoorOpen: ALLOW }) { state } }', { d: victim.deviceId }),
  },
  'Mutation.removeLock': { code: 'NOT_FOUND', run: () => asBob('mutation ($d: ID!) { removeLock(deviceId: $d) }', { d: victim.deviceId }) },
  'Mutation.rotateDeviceSecret': { code: 'NOT_FOUND', run: () => asBob('mutation ($d: ID!) { rotateDeviceSecret(deviceId: $d) { deviceSecret } }', { d: victim.deviceId }) },
  'Mutation.rotateDeviceSecretOverTheAir': { code: 'NOT_FOUND', run: () => asBob('mutation ($d: ID!) { rotateDeviceSecretOverTheAir(deviceId: $d) { name } }', { d: victim.deviceId }) },
  // Firmware rollouts are an admin's (firmware-access.test.ts tries every one with real ids): bob is refused before any id is looked up.
  'Mutation.startFirmwareRollout': { code: 'FORBIDDEN', run: () => asBob('mutation { startFirmwareRollout(releaseId: "r", stages: [100], maxFailurePercent: 10) { id } }') },
  'Mutation.pauseFirmwareRollout': { code: 'FORBIDDEN', run: () => asBob('mutation { pauseFirmwareRollout(id: "r") { id } }') },
  'Mutation.resumeFirmwareRollout': { code: 'FORBIDDEN', run: () => asBob('mutation { resumeFirmwareRollout(id: "r") { id } }') },
  'Mutation.cancelFirmwareRollout': { code: 'FORBIDDEN', run: () => asBob('mutation { cancelFirmwareRollout(id: "r") { id } }') },
  'Mutation.setLockAlerts': { code: 'NOT_FOUND', run: () => asBob('mutation ($d: ID!) { setLockAlerts(deviceId: $d, alerts: { doorAjarMinutes: null }) { name } }', { d: victim.deviceId }) },
  // Bob's own choice, but naming alice's lock: as if it did not exist (it would tell him it does).
  'Mutation.setPushPreference': { code: 'NOT_FOUND', run: () => asBob('mutation ($d: ID!) { setPushPreference(deviceId: $d, kind: JAMMED, enabled: false) { enabled } }', { d: victim.deviceId }) },
  // Alice's session line (from her own list): bob cannot end it (end-session.test.ts checks it survives).
  'Mutation.endSession': {
    code: 'NOT_FOUND',
    run: async () => {
      const own = await gql<{ sessions: { id: string }[] }>(app.httpUrl, 'query { sessions { id } }', {}, alice.accessToken);
      return asBob('mutation ($id: ID!) { endSession(id: $id) }', { id: own.data?.sessions[0]?.id ?? 'none' });
    },
  },
  // Step-up passes (bob just signed in): alice's lock is then answered like a missing one.
  'Mutation.offerLockTransfer': { code: 'NOT_FOUND', run: () => asBob('mutation ($d: ID!) { offerLockTransfer(deviceId: $d, toUsername: "bob") { id } }', { d: victim.deviceId }) },
  'Mutation.reassignLock': { code: 'FORBIDDEN', run: () => asBob('mutation ($d: ID!) { reassignLock(deviceId: $d, username: "bob") { name } }', { d: victim.deviceId }) },
  // Sharing (issue 15 item 1): the lock's shares, invitations and time zone are the owner's business.
  'Query.lockShares': { code: 'NOT_FOUND', run: () => asBob('query ($d: ID!) { lockShares(deviceId: $d) { id } }', { d: victim.deviceId }) },
  'Query.shareInvitations': { code: 'NOT_FOUND', run: () => asBob('query ($d: ID!) { shareInvitations(deviceId: $d) { id } }', { d: victim.deviceId }) },
  'Mutation.shareLock': { code: 'NOT_FOUND', run: () => asBob('mutation ($d: ID!) { shareLock(deviceId: $d, username: "bob", role: CO_OWNER) { id } }', { d: victim.deviceId }) },
  'Mutation.createShareInvitation': { code: 'NOT_FOUND', run: () => asBob('mutation ($d: ID!) { createShareInvitation(deviceId: $d, role: CO_OWNER) { link } }', { d: victim.deviceId }) },
  'Mutation.setLockTimeZone': { code: 'NOT_FOUND', run: () => asBob('mutation ($d: ID!) { setLockTimeZone(deviceId: $d, timeZone: "Asia/Tokyo") { timeZone } }', { d: victim.deviceId }) },
  'Mutation.issueOfflineKey': { code: 'NOT_FOUND', run: () => asBob('mutation ($d: ID!) { issueOfflineKey(lockId: $d) { secret } }', { d: victim.deviceId }) },
  'Mutation.revokeOfflineKeys': { code: 'NOT_FOUND', run: () => asBob('mutation ($d: ID!) { revokeOfflineKeys(lockId: $d) }', { d: victim.deviceId }) },
  // Device ids are global, so "taken" is the answer; what matters is that the secret is not re-issued.
  'Mutation.registerLock': { code: 'BAD_USER_INPUT', run: () => asBob('mutation ($d: ID!) { registerLock(deviceId: $d, name: "mine now") { deviceSecret } }', { d: victim.deviceId }) },
};

/** Fields answered with a (filtered) list instead of an error: checked in their own tests below. */
const listAttacks = ['Query.auditLog', 'Query.locks'];
/** Operations on transfer offers by their id: attacked with real offers in idor-lock-transfers.test.ts. */
const offerAttacks = ['Mutation.cancelLockTransfer', 'Mutation.declineLockTransfer', 'Mutation.acceptLockTransfer'];
/** Subscriptions taking an id: attacked over WebSocket below. */
const socketAttacks = ['Subscription.lockChanged', 'Subscription.commandUpdated', /* idor-lock-access-lost.test.ts */ 'Subscription.lockAccessLost'];
/** Taking a share's or an invitation's id: attacked with real ones in idor-shares.test.ts. */
const shareAttacks = ['Mutation.updateShare', 'Mutation.revokeShare', 'Mutation.cancelShareInvitation'];
/** Taking a passkey's id: attacked in idor-passkeys.test.ts. */
const passkeyAttacks = ['Mutation.renamePasskey', 'Mutation.removePasskey'];

function takesAnId(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (named.name === 'ID') return true;
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((field) => takesAnId(field.type, seen));
}

describe('IDOR: a second user names the first user\'s lock or command', () => {
  it('has an attack below for every operation in schema.graphql that takes a lock or command id', () => {
    const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    const operations = roots.flatMap((root) =>
      Object.values(root?.getFields() ?? {})
        .filter((field) => field.args.some((arg: GraphQLArgument) => takesAnId(arg.type)))
        .map((field) => `${root?.name}.${field.name}`),
    );
    expect(operations.sort()).toEqual([...Object.keys(httpAttacks), ...listAttacks, ...offerAttacks, ...socketAttacks, ...passkeyAttacks, ...shareAttacks].sort());
  });

  it.each(Object.keys(httpAttacks))('%s over HTTP: refused, and nothing about the lock changes', async (operation) => {
    const attack = httpAttacks[operation];
    if (!attack) throw new Error(`no attack for ${operation}`);
    const before = await victimState();
    const response = await attack.run();
    expect(errorCodes(response)).toEqual([attack.code]);
    expect(response.data ?? null).toBeNull();
    expect(JSON.stringify(response)).not.toContain(victim.deviceSecret);
    expect(await victimState()).toEqual(before);
  });

  it('Query.auditLog filtered by the lock shows bob none of its entries', async () => {
    const alicesView = await gql<{ auditLog: { edges: unknown[] } }>(app.httpUrl, 'query ($d: ID!) { auditLog(filter: { deviceId: $d }) { edges { node { id } } } }', { d: victim.deviceId }, alice.accessToken);
    expect(alicesView.data?.auditLog.edges.length).toBeGreaterThan(0); // there is something to leak
    const bobsView = await asBob('query ($d: ID!) { auditLog(filter: { deviceId: $d }) { edges { node { id action } } } }', { d: victim.deviceId });
    expect(bobsView).toEqual({ data: { auditLog: { edges: [] } } });
  });

  it('Query.locks lists none of alice\'s locks for bob', async () => {
    await registerLock(app, bob.accessToken, 'bobs-own-lock');
    const response = await gql<{ locks: { deviceId: string }[] }>(app.httpUrl, '{ locks { deviceId } }', {}, bob.accessToken);
    expect(response.data?.locks.map((l) => l.deviceId)).toEqual(['bobs-own-lock']);
  });

  it("Query.locks paged after alice's lock answers bob as after a made-up id: nothing of hers", async () => {
    const PAGE = 'query ($a: ID) { locks(first: 5, after: $a) { deviceId } }';
    const afterHers = await asBob(PAGE, { a: victim.deviceId });
    const afterNothing = await asBob(PAGE, { a: 'no-such-lock' });
    expect(errorCodes(afterHers)).toEqual(['BAD_USER_INPUT']);
    expect(afterHers.data ?? null).toBeNull();
    expect(afterHers.errors?.[0]?.message).toBe(afterNothing.errors?.[0]?.message);
  });

  it('the lock was sent nothing on bob\'s behalf: the next command it gets is alice\'s, with the next counter', async () => {
    await gql(app.httpUrl, UNLOCK, { d: victim.deviceId }, alice.accessToken);
    await eventually(async () => commandsSeenByTheLock.length === 2);
    expect(commandsSeenByTheLock.map((text) => (JSON.parse(text) as { ctr: number }).ctr)).toEqual([1, 2]);
    expect((await app.services.store.locks.findByDeviceId(victim.deviceId))?.owner).toBe('alice');
  });
});

describe('IDOR over WebSocket subscriptions', () => {
  it('Subscription.commandUpdated for alice\'s command: NOT_FOUND', async () => {
    const client = wsClient(app.wsUrl, bob.accessToken);
    try {
      const response = await wsQuery(client, COMMAND_UPDATED, { id: commandId });
      expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    } finally {
      await client.dispose();
    }
  });

  it('Subscription.lockChanged for alice\'s lock: bob gets none of its changes', async () => {
    const own = await registerLock(app, bob.accessToken);
    const client = wsClient(app.wsUrl, bob.accessToken, { lazy: false });
    try {
      const spying = collect<LockEvent>(client, LOCK_CHANGED, { d: victim.deviceId });
      const marker = collect<LockEvent & { name?: string }>(client, 'subscription ($d: ID) { lockChanged(deviceId: $d) { deviceId name } }', { d: own.deviceId });
      // Both subscriptions are live once the marker one delivers.
      await eventually(async () => {
        await gql(app.httpUrl, 'mutation ($d: ID!, $n: String!) { renameLock(deviceId: $d, name: $n) { name } }', { d: own.deviceId, n: `warm ${Date.now()}` }, bob.accessToken);
        return marker.events.length > 0;
      });
      await gql(app.httpUrl, 'mutation ($d: ID!) { renameLock(deviceId: $d, name: "Back door") { name } }', { d: victim.deviceId }, alice.accessToken);
      await gql(app.httpUrl, 'mutation ($d: ID!) { renameLock(deviceId: $d, name: "after alice") { name } }', { d: own.deviceId }, bob.accessToken);
      await marker.waitFor((event) => event.name === 'after alice');
      expect(spying.events).toEqual([]);
      expect(spying.errors).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});
