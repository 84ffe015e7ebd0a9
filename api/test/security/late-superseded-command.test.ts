/**
 * Attack: hold back a superseded command and deliver it after the newer one,
 * or answer for it late, hoping the older request is carried out or reported
 * as the outcome. The lock refuses it by its lower counter (the simulator's
 * rule, which mirrors the firmware), and no ack moves a SUPERSEDED command to
 * another state: the lock's answer is only recorded in the audit log.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideCommand } from '../../src/simulator/command-decision.js';
import { catchCommands } from '../../src/test-support/command-catcher.js';
import { gql, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { LOCK, UNLOCK } from '../../src/test-support/lock-operations.js';
import { onlineRawLock } from '../../src/test-support/raw-lock.js';
import { eventually } from '../../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

let app: TestApp;
let alice: AuthResult;
const clients: MqttClient[] = [];

beforeAll(async () => {
  app = await startTestApp({ COMMAND_TIMEOUT_MS: '60000' });
  alice = await signUp(app.httpUrl, 'alice');
});
afterAll(async () => {
  for (const client of clients) await client.endAsync();
  await app.close();
});

async function auditResults(deviceId: string): Promise<string[]> {
  const audit = await gql<{ auditLog: { edges: { node: { result: string; detail: string } }[] } }>(
    app.httpUrl,
    'query ($d: ID!) { auditLog(filter: { deviceId: $d }, first: 50) { edges { node { result detail } } } }',
    { d: deviceId },
    alice.accessToken,
  );
  return audit.data?.auditLog.edges.map((edge) => `${edge.node.result} ${edge.node.detail}`) ?? [];
}

describe('a superseded command delivered or answered late', () => {
  it('is refused by the lock as a replay once the newer one ran', async () => {
    const { lock, client } = await onlineRawLock(app, alice.accessToken);
    clients.push(client);
    const catcher = await catchCommands(app, client, lock);
    await gql(app.httpUrl, UNLOCK, { d: lock.deviceId }, alice.accessToken);
    await gql(app.httpUrl, LOCK, { d: lock.deviceId }, alice.accessToken);
    const [older, newer] = await catcher.waitForCount(2);
    if (!older || !newer) throw new Error('two commands expected');
    expect(newer.cmd.ctr).toBeGreaterThan(older.cmd.ctr);
    expect((await app.services.store.commands.findById(older.cmd.id))?.state).toBe('SUPERSEDED');

    const key = Buffer.from(lock.deviceSecret, 'hex');
    const nowS = Math.floor(Date.now() / 1000);
    // The lock ran the newer one (its counter is now the newer ctr); the held-back older one arrives.
    expect(decideCommand({ key, deviceId: lock.deviceId, lastCtr: newer.cmd.ctr, nowS }, older.payload)).toMatchObject({ kind: 'reject', reason: 'replay' });
    // Delivered in order instead, each runs in turn: the newest still has the last word.
    expect(decideCommand({ key, deviceId: lock.deviceId, lastCtr: older.cmd.ctr, nowS }, newer.payload)).toMatchObject({ kind: 'execute' });
  });

  it('stays SUPERSEDED whatever the lock answers for it, and the answer is audited', async () => {
    const { lock, client } = await onlineRawLock(app, alice.accessToken);
    clients.push(client);
    const catcher = await catchCommands(app, client, lock);
    await gql(app.httpUrl, UNLOCK, { d: lock.deviceId }, alice.accessToken);
    await gql(app.httpUrl, LOCK, { d: lock.deviceId }, alice.accessToken);
    const [older, newer] = await catcher.waitForCount(2);
    if (!older || !newer) throw new Error('two commands expected');

    // The lock had run the older one before the newer one arrived, and says so; then it runs the newer one.
    await catcher.ack(2, older.cmd.ctr, { id: older.cmd.id, result: 'ok' });
    await catcher.ack(3, newer.cmd.ctr, { id: newer.cmd.id, result: 'ok' });
    await eventually(async () => (await app.services.store.commands.findById(newer.cmd.id))?.state === 'SUCCEEDED');
    expect(await app.services.store.commands.findById(older.cmd.id)).toMatchObject({ state: 'SUPERSEDED', reason: `superseded by ${newer.cmd.id}` });
    await eventually(async () => (await auditResults(lock.deviceId)).includes(`SUPERSEDED_ACK ${older.cmd.id}: ok`));

    // A replay refusal for it, sent after, changes nothing either.
    await catcher.ack(4, newer.cmd.ctr, { id: older.cmd.id, result: 'rejected', reason: 'replay' });
    await eventually(async () => (await auditResults(lock.deviceId)).includes(`SUPERSEDED_ACK ${older.cmd.id}: rejected: replay`));
    expect((await app.services.store.commands.findById(older.cmd.id))?.state).toBe('SUPERSEDED');
  });
});
