/**
 * After the api dies (`kill -9`) and starts again, a lock is shown AVAILABLE
 * only if something can reach it. Embedded broker: every connection died with
 * the process, so every lock starts UNAVAILABLE ("Server restarted") until it
 * reconnects. External broker (Mosquitto): connections outlive the api, and
 * the retained availability tells which locks died meanwhile.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCounterStore } from '../src/simulator/counter-store.js';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { errorCodes, gql, signUp } from '../src/test-support/graphql-client.js';
import { COMMAND, LOCK_QUERY, UNLOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { registerLock, startLock, type Registered } from '../src/test-support/locks.js';
import { spawnServer, type RunningServer } from '../src/test-support/server-process.js';
import { reachable } from '../src/test-support/reachable.js';
import { eventually } from '../src/test-support/subscriptions.js';

const MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const AUDIT = 'query ($d: ID!) { auditLog(filter: { deviceId: $d, action: "lock.offline" }, first: 10) { edges { node { actor detail } } } }';

interface LockView {
  status: string;
  state: string;
  online: boolean;
  issue: string | null;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Server = RunningServer & { topics: { prefix: string } };

async function startServer(env: Record<string, string>): Promise<Server> {
  const server = await spawnServer({ HOST: '127.0.0.1', PORT: '0', MQTT_HOST: '127.0.0.1', MQTT_PORT: '0', MQTT_TLS_PORT: '0', SCRYPT_COST: '12', ...env });
  cleanups.push(() => server.kill());
  return Object.assign(server, { topics: { prefix: env.MQTT_TOPIC_PREFIX ?? 'smartlock' } });
}

async function crash(server: Server): Promise<void> {
  server.child.kill('SIGKILL');
  expect(await server.exited).toMatchObject({ signal: 'SIGKILL' });
}

async function lockView(server: Server, token: string, deviceId: string): Promise<LockView | undefined> {
  return (await gql<{ lock: LockView }>(server.httpUrl, LOCK_QUERY, { d: deviceId }, token)).data?.lock;
}

async function runLock(server: Server, registered: Registered, state: MemoryCounterStore): Promise<SimulatedLock> {
  const lock = await startLock(server, registered, { state });
  cleanups.push(() => lock.stop({ graceful: false }));
  return lock;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smartlock-restart-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('after kill -9 and a restart with the embedded broker', () => {
  it('shows every lock UNAVAILABLE ("Server restarted") and answers LOCK_OFFLINE until the lock reconnects and sends a status', async () => {
    const env = { DATA_DIR: tempDir(), MQTT_TOPIC_PREFIX: `test-${randomUUID()}` };
    const first = await startServer(env);
    const user = await signUp(first.httpUrl, 'owner');
    const registered = await registerLock(first, user.accessToken);
    const counters = new MemoryCounterStore(); // the lock's flash: survives its restart
    const before = await runLock(first, registered, counters);
    await eventually(async () => (await lockView(first, user.accessToken, registered.deviceId))?.state === 'AVAILABLE');

    await crash(first);
    await before.stop({ graceful: false }); // its connection died with the broker; keep it from reconnecting yet
    const second = await startServer(env);

    expect(await lockView(second, user.accessToken, registered.deviceId)).toMatchObject({ state: 'UNAVAILABLE', online: false, issue: 'Server restarted' });
    const refused = await gql(second.httpUrl, UNLOCK, { d: registered.deviceId }, user.accessToken);
    expect(errorCodes(refused)).toEqual(['LOCK_OFFLINE']);
    const audit = await gql<{ auditLog: { edges: { node: { actor: string | null; detail: string } }[] } }>(second.httpUrl, AUDIT, { d: registered.deviceId }, user.accessToken);
    expect(audit.data?.auditLog.edges.map((edge) => edge.node)).toContainEqual({ actor: null, detail: 'Server restarted' });

    await runLock(second, registered, counters);
    const back = await eventually(async () => {
      const view = await lockView(second, user.accessToken, registered.deviceId);
      return view?.state === 'AVAILABLE' ? view : undefined;
    });
    expect(back).toMatchObject({ online: true, issue: null });
    const sent = await gql<{ unlock: CommandView }>(second.httpUrl, UNLOCK, { d: registered.deviceId }, user.accessToken);
    expect(sent.errors).toBeUndefined();
    await eventually(async () => {
      const command = await gql<{ command: CommandView }>(second.httpUrl, COMMAND, { id: sent.data?.unlock.id }, user.accessToken);
      return command.data?.command.state === 'SUCCEEDED';
    });
  }, 60_000);
});

/**
 * Resolves once `payload` is on `topic`: as the retained message when it was
 * published before this subscribed, else live (then without the retain flag).
 */
async function published(topic: string, payload: string): Promise<void> {
  const client = await mqtt.connectAsync(MQTT_URL, { clientId: `test-watch-${randomUUID().slice(0, 8)}` });
  try {
    await new Promise<void>((resolve, reject) => {
      client.on('message', (_topic, message) => {
        if (message.toString() === payload) resolve();
      });
      client.subscribeAsync(topic, { qos: 1 }).catch(reject);
    });
  } finally {
    await client.endAsync();
  }
}

describe('after kill -9 and a restart with an external broker (Mosquitto)', () => {
  it('applies the retained availability: a lock that died meanwhile is UNAVAILABLE, a live one stays AVAILABLE', async (ctx) => {
    if (!(await reachable(MQTT_URL))) {
      if (process.env.CI === 'true') throw new Error(`CI needs Mosquitto at ${MQTT_URL}`);
      return ctx.skip(`needs Mosquitto at ${MQTT_URL}`);
    }
    const prefix = `test-${randomUUID()}`;
    const env = {
      DATA_DIR: tempDir(),
      MQTT_TOPIC_PREFIX: prefix,
      MQTT_URL,
      MQTT_USERNAME: 'smartlock-api',
      MQTT_PASSWORD: 'unused-on-this-mosquitto',
    };
    const first = await startServer(env);
    const user = await signUp(first.httpUrl, 'owner');
    const dying = await registerLock(first, user.accessToken);
    const living = await registerLock(first, user.accessToken);
    cleanups.push(async () => {
      // Retained messages outlive the test in the shared Mosquitto: clear them.
      const cleaner = await mqtt.connectAsync(MQTT_URL);
      for (const lock of [dying, living]) await cleaner.publishAsync(`${prefix}/${lock.deviceId}/availability`, '', { retain: true, qos: 1 });
      await cleaner.endAsync();
    });
    const dyingLock = await runLock(first, dying, new MemoryCounterStore());
    await runLock(first, living, new MemoryCounterStore());
    for (const lock of [dying, living]) await eventually(async () => (await lockView(first, user.accessToken, lock.deviceId))?.state === 'AVAILABLE');

    await crash(first);
    // Dies without DISCONNECT while the api is down: Mosquitto publishes its retained `offline` will.
    await dyingLock.stop({ graceful: false });
    await published(`${prefix}/${dying.deviceId}/availability`, 'offline');
    const second = await startServer(env);

    const dead = await eventually(async () => {
      const view = await lockView(second, user.accessToken, dying.deviceId);
      return view?.state === 'UNAVAILABLE' ? view : undefined;
    });
    expect(dead).toMatchObject({ online: false, issue: 'Connection lost' });
    expect(errorCodes(await gql(second.httpUrl, UNLOCK, { d: dying.deviceId }, user.accessToken))).toEqual(['LOCK_OFFLINE']);
    // Its retained `online` changes nothing, and a start with an external broker marks no lock.
    expect(await lockView(second, user.accessToken, living.deviceId)).toMatchObject({ state: 'AVAILABLE', online: true, issue: null });
  }, 60_000);
});
