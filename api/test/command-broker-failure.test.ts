/**
 * A command is SENT once it is written to the broker connection, not when the broker's PUBACK
 * comes back (commands.service.ts): a broker that takes the command but never acknowledges it must
 * still end it FAILED ("broker unavailable"), announced and audited, never left SENT or lost.
 * The broker is aedes in this process, holding back every command it is given.
 */
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, signUp, wsClient, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND_UPDATED, UNLOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { registerLock, startLock } from '../src/test-support/locks.js';
import { collect, eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';

let broker: Aedes;
let server: Server;
let app: TestApp;
let alice: AuthResult;
let sim: SimulatedLock;
/** Commands the broker took and will never acknowledge (no PUBACK, not forwarded). */
const held: string[] = [];

beforeAll(async () => {
  broker = await Aedes.createBroker({
    authorizePublish(_client, packet, callback) {
      if (packet.topic.endsWith('/cmd')) return void held.push(packet.topic);
      callback(null);
    },
  });
  server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // The command timeout is far beyond the link's 10 s PUBACK wait, so only the broker's silence ends it.
  app = await startTestApp({ MQTT_URL: `mqtt://127.0.0.1:${port}`, MQTT_USERNAME: 'smartlock-api', MQTT_PASSWORD: 'unused-here', COMMAND_TIMEOUT_MS: '120000' });
  alice = await signUp(app.httpUrl, 'alice');
  const lock = await registerLock(app, alice.accessToken, 'silent-broker-door');
  sim = await startLock(app, lock);
  await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.state === 'AVAILABLE');
}, 30_000);
afterAll(async () => {
  await sim?.stop({ graceful: false }).catch(() => undefined);
  await app?.close();
  await new Promise<void>((resolve) => broker.close(() => resolve()));
  server?.close();
});

describe('a broker that never acknowledges a command', () => {
  it('answers SENT at once, then ends the command FAILED "broker unavailable", announced and audited', async () => {
    const started = Date.now();
    const sent = await gql<{ unlock: CommandView }>(app.httpUrl, UNLOCK, { d: 'silent-broker-door' }, alice.accessToken);
    expect(sent.data?.unlock.state).toBe('SENT');
    expect(Date.now() - started).toBeLessThan(5_000); // not after the link's 10 s PUBACK wait
    await eventually(async () => held.length === 1); // the broker took it (and keeps it)
    const id = sent.data?.unlock.id ?? '';
    const client = wsClient(app.wsUrl, alice.accessToken);
    const updates = collect<CommandView>(client, COMMAND_UPDATED, { id });
    const failed = await updates.waitFor((e) => e.state === 'FAILED', 20_000);
    expect(failed.reason).toBe('broker unavailable');
    expect(sim.status).toBe('LOCKED'); // the lock never got it
    const audit = await gql<{ auditLog: { edges: { node: { action: string; result: string; detail: string } }[] } }>(
      app.httpUrl,
      'query ($d: ID!) { auditLog(filter: { deviceId: $d }, first: 20) { edges { node { action result detail } } } }',
      { d: 'silent-broker-door' },
      alice.accessToken,
    );
    const trail = (audit.data?.auditLog.edges ?? []).map((e) => e.node).filter((n) => n.action === 'command.unlock').reverse();
    expect(trail).toEqual([
      { action: 'command.unlock', result: 'SENT', detail: id },
      { action: 'command.unlock', result: 'FAILED', detail: `${id}: broker unavailable` },
    ]);
    updates.stop();
    await client.dispose();
  }, 30_000);
});
