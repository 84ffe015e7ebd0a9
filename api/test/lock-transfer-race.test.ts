/**
 * The race a transfer must win: alice's unlock passes the owner check, then bob accepts the lock
 * before her command is published. The owner is read again right before publishing, so her
 * command ends FAILED and the lock receives nothing. The acceptance is made to land in that gap
 * by running it inside the store call between the two (supersedeOlder), over real HTTP.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchCommands } from '../src/test-support/command-catcher.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { onlineRawLock } from '../src/test-support/raw-lock.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const OFFER = 'mutation ($d: ID!, $u: String!) { offerLockTransfer(deviceId: $d, toUsername: $u) { id } }';
const ACCEPT = 'mutation ($id: ID!) { acceptLockTransfer(offerId: $id) { lock { owner { username } } } }';

let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;
let client: MqttClient | undefined;

beforeAll(async () => {
  app = await startTestApp({ COMMAND_TIMEOUT_MS: '60000' });
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
});
afterAll(async () => {
  client?.end(true);
  await app.close();
});

describe('a command racing a transfer', () => {
  it('checked before the acceptance, published after it: it ends FAILED and never reaches the lock', async () => {
    const online = await onlineRawLock(app, alice.accessToken);
    client = online.client;
    const catcher = await catchCommands(app, client, online.lock);
    const offerId = (await gql<{ offerLockTransfer: { id: string } }>(app.httpUrl, OFFER, { d: online.lock.deviceId, u: 'bob' }, alice.accessToken)).data?.offerLockTransfer.id;

    const commands = app.services.store.commands;
    const original = commands.open.bind(commands);
    let accepted: unknown = null;
    // The transfer is accepted once the command is stored, before it is published.
    commands.open = async (...args) => {
      commands.open = original;
      const result = await original(...args);
      accepted = (await gql(app.httpUrl, ACCEPT, { id: offerId }, bob.accessToken)).data;
      return result;
    };
    const sent = await gql<{ unlock: { id: string; state: string } }>(app.httpUrl, `mutation ($d: ID!) { unlock(deviceId: $d) { id state } }`, { d: online.lock.deviceId }, alice.accessToken);
    expect(accepted).toEqual({ acceptLockTransfer: { lock: { owner: { username: 'bob' } } } });
    expect(sent.data?.unlock.state).toBe('FAILED');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(catcher.received).toEqual([]);
  });
});
