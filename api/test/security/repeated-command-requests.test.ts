/**
 * Attack (or a flaky network): repeat the same lock/unlock request, one after
 * another or all at once, so the motor runs once per copy. With an
 * `idempotencyKey`, every copy from the same user for the same lock within the
 * window answers with the one command that was sent; only one goes out. A key
 * is never shared across users or reused for the other action.
 */
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchCommands } from '../../src/test-support/command-catcher.js';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { onlineRawLock } from '../../src/test-support/raw-lock.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

let app: TestApp;
let alice: AuthResult;
let root: AuthResult;
const clients: MqttClient[] = [];

const UNLOCK_ONCE = 'mutation ($d: ID!, $k: String) { unlock(deviceId: $d, idempotencyKey: $k) { id state } }';
const LOCK_ONCE = 'mutation ($d: ID!, $k: String) { lock(deviceId: $d, idempotencyKey: $k) { id state } }';
type Answer = { unlock?: { id: string; state: string }; lock?: { id: string; state: string } };

beforeAll(async () => {
  // A limit far above what the test sends: merged repeats must not be what stops the copies.
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here', COMMAND_TIMEOUT_MS: '60000', COMMAND_RATE_BURST_MAX: '100' });
  alice = await signUp(app.httpUrl, 'alice');
  const signedIn = await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'root password here' });
  if (!signedIn.data) throw new Error(JSON.stringify(signedIn.errors));
  root = signedIn.data.signIn;
});
afterAll(async () => {
  for (const client of clients) await client.endAsync();
  await app.close();
});

async function onlineLock() {
  const { lock, client } = await onlineRawLock(app, alice.accessToken);
  clients.push(client);
  return { lock, catcher: await catchCommands(app, client, lock) };
}

describe('repeats of one request with an idempotency key', () => {
  it('answers every copy, sequential or concurrent, with the one command that was sent', async () => {
    const { lock, catcher } = await onlineLock();
    const key = randomUUID();
    const first = await gql<Answer>(app.httpUrl, UNLOCK_ONCE, { d: lock.deviceId, k: key }, alice.accessToken);
    const id = first.data?.unlock?.id;
    expect(id).toEqual(expect.any(String));
    const copies = await Promise.all(Array.from({ length: 6 }, () => gql<Answer>(app.httpUrl, UNLOCK_ONCE, { d: lock.deviceId, k: key }, alice.accessToken)));
    expect(copies.map((copy) => copy.data?.unlock?.id)).toEqual(Array(6).fill(id));
    expect(await app.services.store.commands.findById(id ?? '')).toMatchObject({ state: 'SENT' });
    expect((await app.services.store.commands.listByDevice(lock.deviceId, { first: 50 })).items).toHaveLength(1);
    await catcher.waitForCount(1);
    expect(catcher.received).toHaveLength(1);
  });

  it('merges copies that all arrive at once, before any was stored', async () => {
    const { lock } = await onlineLock();
    const key = randomUUID();
    const copies = await Promise.all(Array.from({ length: 6 }, () => gql<Answer>(app.httpUrl, UNLOCK_ONCE, { d: lock.deviceId, k: key }, alice.accessToken)));
    expect(copies.flatMap((copy) => copy.errors ?? [])).toEqual([]);
    expect(new Set(copies.map((copy) => copy.data?.unlock?.id)).size).toBe(1);
    const stored = (await app.services.store.commands.listByDevice(lock.deviceId, { first: 50 })).items;
    expect(stored).toHaveLength(1);
    expect(stored[0]?.state).toBe('SENT');
  });

  it('keeps keys apart per user and per action, and refuses a malformed key', async () => {
    const { lock } = await onlineLock();
    const key = randomUUID();
    const mine = await gql<Answer>(app.httpUrl, UNLOCK_ONCE, { d: lock.deviceId, k: key }, alice.accessToken);
    const admins = await gql<Answer>(app.httpUrl, UNLOCK_ONCE, { d: lock.deviceId, k: key }, root.accessToken);
    expect(admins.data?.unlock?.id).toEqual(expect.any(String));
    expect(admins.data?.unlock?.id).not.toBe(mine.data?.unlock?.id);

    const otherAction = await gql<Answer>(app.httpUrl, LOCK_ONCE, { d: lock.deviceId, k: key }, alice.accessToken);
    expect(errorCodes(otherAction)).toEqual(['BAD_USER_INPUT']);
    expect(otherAction.errors?.[0]?.extensions?.field).toBe('idempotencyKey');

    for (const bad of ['', 'has space', 'x'.repeat(129), 'bidi\u202Ekey']) {
      const refused = await gql<Answer>(app.httpUrl, UNLOCK_ONCE, { d: lock.deviceId, k: bad }, alice.accessToken);
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('sends each request without a key, as before', async () => {
    const { lock, catcher } = await onlineLock();
    await gql(app.httpUrl, UNLOCK_ONCE, { d: lock.deviceId }, alice.accessToken);
    await gql(app.httpUrl, UNLOCK_ONCE, { d: lock.deviceId }, alice.accessToken);
    await catcher.waitForCount(2);
  });
});
