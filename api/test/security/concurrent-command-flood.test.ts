/**
 * Attack: fire many unlocks for one lock at once. Each used to be signed and
 * sent while the earlier ones were still SENT (5 of 5 went out), each driving
 * the motor. Now the newest request wins: the others end SUPERSEDED (also for
 * whoever watches them through commandUpdated), at most one command per lock
 * is ever left SENT, and the superseded ones are in the audit log.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchCommands } from '../../src/test-support/command-catcher.js';
import { gql, signUp, wsClient, type AuthResult } from '../../src/test-support/graphql-client.js';
import { COMMAND_UPDATED, UNLOCK, type CommandView } from '../../src/test-support/lock-operations.js';
import { onlineRawLock } from '../../src/test-support/raw-lock.js';
import { collect } from '../../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

let app: TestApp;
let alice: AuthResult;
const clients: MqttClient[] = [];

beforeAll(async () => {
  // A long timeout: nothing may end TIMED_OUT while the test looks at what is still SENT.
  app = await startTestApp({ COMMAND_TIMEOUT_MS: '60000' });
  alice = await signUp(app.httpUrl, 'alice');
});
afterAll(async () => {
  for (const client of clients) await client.endAsync();
  await app.close();
});

type Sent = { unlock: { id: string; state: string } };

describe('a burst of concurrent unlocks for one lock', () => {
  it('leaves only the newest SENT; the others end SUPERSEDED, seen live and audited', async () => {
    const { lock, client } = await onlineRawLock(app, alice.accessToken);
    clients.push(client);
    const catcher = await catchCommands(app, client, lock);

    const answers = await Promise.all(Array.from({ length: 5 }, () => gql<Sent>(app.httpUrl, UNLOCK, { d: lock.deviceId }, alice.accessToken)));
    expect(answers.flatMap((answer) => answer.errors ?? [])).toEqual([]);
    const ids = answers.map((answer) => answer.data?.unlock.id ?? '');

    const commands = await Promise.all(ids.map(async (id) => app.services.store.commands.findById(id)));
    const states = commands.map((command) => command?.state);
    expect(states.filter((state) => state === 'SENT')).toHaveLength(1);
    expect(states.filter((state) => state === 'SUPERSEDED')).toHaveLength(4);
    const newest = commands.reduce((a, b) => ((a?.counter ?? 0) > (b?.counter ?? 0) ? a : b));
    expect(newest?.state).toBe('SENT');

    // Whatever went out had been SENT when its mutation answered; the newest must arrive.
    const published = answers.filter((answer) => answer.data?.unlock.state === 'SENT').length;
    const arrived = await catcher.waitForCount(published);
    expect(arrived.map((r) => r.cmd.id)).toContain(newest?.id);

    // A subscriber to an older command sees it end SUPERSEDED.
    const older = commands.find((command) => command?.state === 'SUPERSEDED');
    const socket = wsClient(app.wsUrl, alice.accessToken);
    const watched = collect<CommandView>(socket, COMMAND_UPDATED, { id: older?.id });
    const seen = await watched.waitFor((event) => event.state === 'SUPERSEDED');
    // Named after the request that replaced it: a later one of the burst.
    const by = commands.find((command) => seen.reason === `superseded by ${command?.id}`);
    expect(by?.counter).toBeGreaterThan(older?.counter ?? Infinity);
    watched.stop();
    await socket.dispose();

    const audit = await gql<{ auditLog: { edges: { node: { result: string; detail: string } }[] } }>(
      app.httpUrl,
      'query ($d: ID!) { auditLog(filter: { deviceId: $d }, first: 50) { edges { node { result detail } } } }',
      { d: lock.deviceId },
      alice.accessToken,
    );
    const superseded = audit.data?.auditLog.edges.filter((edge) => edge.node.result === 'SUPERSEDED') ?? [];
    expect(superseded).toHaveLength(4);
  });

  it('supersedes a pending LOCK with a later UNLOCK (the newest request wins, whatever its action)', async () => {
    const { lock, client } = await onlineRawLock(app, alice.accessToken);
    clients.push(client);
    const first = await gql<{ lock: { id: string } }>(app.httpUrl, 'mutation ($d: ID!) { lock(deviceId: $d) { id } }', { d: lock.deviceId }, alice.accessToken);
    const second = await gql<Sent>(app.httpUrl, UNLOCK, { d: lock.deviceId }, alice.accessToken);
    expect(second.data?.unlock.state).toBe('SENT');
    const older = await app.services.store.commands.findById(first.data?.lock.id ?? '');
    expect(older).toMatchObject({ state: 'SUPERSEDED', reason: `superseded by ${second.data?.unlock.id}` });
  });
});
