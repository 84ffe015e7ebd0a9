/**
 * Attack: send lock/unlock requests for one lock as fast as possible (one after
 * another, or all at once), each one driving the motor and adding a row. A
 * per-user, per-lock limit refuses the excess with TOO_MANY_COMMANDS and
 * `retryAfterSeconds`, sends nothing for it, and audits the refusal once per
 * window rather than once per request. Other users and other locks are not held
 * back by it.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult, type GraphQLResponse } from '../../src/test-support/graphql-client.js';
import { UNLOCK } from '../../src/test-support/lock-operations.js';
import { onlineRawLock } from '../../src/test-support/raw-lock.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

let app: TestApp;
let alice: AuthResult;
let root: AuthResult;
const clients: MqttClient[] = [];

beforeAll(async () => {
  app = await startTestApp({
    ADMIN_USERNAME: 'root',
    ADMIN_PASSWORD: 'root password here',
    COMMAND_TIMEOUT_MS: '60000',
    COMMAND_RATE_BURST_MAX: '3',
    COMMAND_RATE_BURST_WINDOW: '1m',
  });
  alice = await signUp(app.httpUrl, 'alice');
  const signedIn = await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'root password here' });
  if (!signedIn.data) throw new Error(JSON.stringify(signedIn.errors));
  root = signedIn.data.signIn;
});
afterAll(async () => {
  for (const client of clients) await client.endAsync();
  await app.close();
});

async function onlineLock(token: string) {
  const { lock, client } = await onlineRawLock(app, token);
  clients.push(client);
  return lock;
}

const unlock = (deviceId: string, token: string) => gql<{ unlock: { id: string } }>(app.httpUrl, UNLOCK, { d: deviceId }, token);

async function auditResults(deviceId: string): Promise<string[]> {
  const audit = await gql<{ auditLog: { edges: { node: { actor: string | null; result: string } }[] } }>(
    app.httpUrl,
    'query ($d: ID!) { auditLog(filter: { deviceId: $d }, first: 100) { edges { node { actor result } } } }',
    { d: deviceId },
    root.accessToken,
  );
  return audit.data?.auditLog.edges.map((edge) => `${edge.node.actor ?? '-'} ${edge.node.result}`) ?? [];
}

describe('a flood of commands from one user to one lock', () => {
  it('refuses requests past the limit with TOO_MANY_COMMANDS and retryAfterSeconds, sending nothing', async () => {
    const lock = await onlineLock(alice.accessToken);
    for (let i = 0; i < 3; i++) expect(errorCodes(await unlock(lock.deviceId, alice.accessToken))).toEqual([]);
    const refused: GraphQLResponse = await unlock(lock.deviceId, alice.accessToken);
    expect(errorCodes(refused)).toEqual(['TOO_MANY_COMMANDS']);
    const retry = refused.errors?.[0]?.extensions?.retryAfterSeconds;
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(errorCodes(await unlock(lock.deviceId, alice.accessToken))).toEqual(['TOO_MANY_COMMANDS']);
    expect((await app.services.store.commands.listByDevice(lock.deviceId, { first: 50 })).items).toHaveLength(3);

    // Audited, but once for the window, not once per refused request.
    const results = await auditResults(lock.deviceId);
    expect(results.filter((r) => r === 'alice TOO_MANY_COMMANDS')).toHaveLength(1);

    // An admin acting on the same lock, and alice on another lock, have their own allowance.
    expect(errorCodes(await unlock(lock.deviceId, root.accessToken))).toEqual([]);
    const other = await onlineLock(alice.accessToken);
    expect(errorCodes(await unlock(other.deviceId, alice.accessToken))).toEqual([]);
  });

  it('counts requests sent all at once one by one', async () => {
    const bob = await signUp(app.httpUrl, 'bob');
    const lock = await onlineLock(bob.accessToken);
    const answers = await Promise.all(Array.from({ length: 12 }, () => unlock(lock.deviceId, bob.accessToken)));
    const codes = answers.map((answer) => errorCodes(answer)[0] ?? 'ok');
    expect(codes.filter((code) => code === 'ok')).toHaveLength(3);
    expect(codes.filter((code) => code === 'TOO_MANY_COMMANDS')).toHaveLength(9);
    expect((await app.services.store.commands.listByDevice(lock.deviceId, { first: 50 })).items).toHaveLength(3);
  });
});
