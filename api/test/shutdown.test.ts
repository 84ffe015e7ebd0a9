/**
 * SIGTERM (Docker, systemd) and SIGINT (Ctrl-C) end the built server: exit 0
 * within SHUTDOWN_TIMEOUT_MS, batched heartbeats written, even with open
 * WebSocket, HTTP keep-alive and MQTT connections, some of them unresponsive.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import type { Client } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCounterStore } from '../src/simulator/counter-store.js';
import type { StatusMessage } from '../src/devices/protocol/messages.js';
import type { StatusMessageV2 } from '../src/devices/protocol/messages-v2.js';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { gql, signUp, wsClient } from '../src/test-support/graphql-client.js';
import { LOCK_CHANGED, LOCK_QUERY } from '../src/test-support/lock-operations.js';
import { registerLock, startLock } from '../src/test-support/locks.js';
import { DEMO_JS, MAIN_JS, spawnProcess, spawnServer, type RunningServer, type ServerProcess } from '../src/test-support/server-process.js';
import { reachable } from '../src/test-support/reachable.js';
import { frozenWebSocket, silentTcpClient } from '../src/test-support/stuck-clients.js';
import { collect, eventually } from '../src/test-support/subscriptions.js';

const SHUTDOWN_TIMEOUT_MS = 5000; // the default
/** Past the timeout the process should have exited (with 1); waiting longer only delays a failure. */
const EXIT_WAIT_MS = SHUTDOWN_TIMEOUT_MS + 3000;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smartlock-shutdown-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

type Server = RunningServer & { topics: { prefix: string } };

async function startServer(dataDir: string): Promise<Server> {
  const prefix = `test-${randomUUID()}`;
  const server = await spawnServer({
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: '0',
    MQTT_TLS_PORT: '0',
    MQTT_TOPIC_PREFIX: prefix,
    SCRYPT_COST: '12',
    // Long enough that the test's heartbeat is still in the batch when the signal comes.
    HEARTBEAT_FLUSH_MS: '5000',
    OFFLINE_SWEEP_MS: '600000',
    // The test counts accepted heartbeats; on a busy machine the lag detector would shed some
    // (overload is tested elsewhere), and the wait for one would time out.
    OVERLOAD_LAG_MS: '60000',
  });
  cleanups.push(() => server.kill());
  return Object.assign(server, { topics: { prefix } });
}

function storedPair(dataDir: string, deviceId: string): { last_boot: number; last_seq: number } | undefined {
  const db = new Database(join(dataDir, 'smartlock.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[string], { last_boot: number; last_seq: number }>('SELECT last_boot, last_seq FROM locks WHERE device_id = ?').get(deviceId);
  } finally {
    db.close();
  }
}

async function acceptedHeartbeats(server: RunningServer): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const match = /^smartlock_mqtt_status_accepted_total\{kind="heartbeat"\} (\d+)/m.exec(text);
  return match ? Number(match[1]) : 0;
}

/** Sends a heartbeat and resolves once the server holds it in its batch, not yet written. */
async function batchedHeartbeat(server: RunningServer, lock: SimulatedLock, dataDir: string): Promise<StatusMessage | StatusMessageV2> {
  for (let attempt = 1; ; attempt += 1) {
    const accepted = await acceptedHeartbeats(server);
    const heartbeat = await lock.sendStatus();
    await eventually(async () => (await acceptedHeartbeats(server)) > accepted);
    // A periodic flush may have run just now (every HEARTBEAT_FLUSH_MS): then try once more.
    if ((storedPair(dataDir, lock.deviceId)?.last_seq ?? 0) < heartbeat.seq) return heartbeat;
    if (attempt === 3) throw new Error('every heartbeat was written before the test could signal');
  }
}

/** Open connections of every kind that could keep a process alive. */
async function holdConnections(server: RunningServer, token: string): Promise<void> {
  const client: Client = wsClient(server.url.replace('http', 'ws') + '/graphql', token);
  const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  const events = collect(client, LOCK_CHANGED);
  await connected;
  const frozen: Socket = await frozenWebSocket(server.url.replace('http', 'ws') + '/graphql');
  const silentMqtt: Socket = await silentTcpClient(server.brokerUrl);
  cleanups.push(() => {
    events.stop();
    void client.dispose();
    frozen.destroy();
    silentMqtt.destroy();
  });
}

describe('shutdown of the built server', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('exits 0 on %s within SHUTDOWN_TIMEOUT_MS and stores the last batched heartbeat', async (signal) => {
    const dataDir = tempDir();
    const server = await startServer(dataDir);
    const user = await signUp(server.httpUrl, 'owner');
    const registered = await registerLock(server, user.accessToken);
    const lock: SimulatedLock = await startLock(server, registered, { state: new MemoryCounterStore() });
    cleanups.push(() => lock.stop({ graceful: false }));
    await eventually(async () => {
      const response = await gql<{ lock: { state: string } }>(server.httpUrl, LOCK_QUERY, { d: registered.deviceId }, user.accessToken);
      return response.data?.lock.state === 'AVAILABLE';
    });
    // The first status was a change (written at once); later ones are plain heartbeats: batched.
    const heartbeat = await batchedHeartbeat(server, lock, dataDir);
    await holdConnections(server, user.accessToken);

    const sentAt = Date.now();
    server.child.kill(signal);
    const exit = await server.exitWithin(EXIT_WAIT_MS);

    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - sentAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(storedPair(dataDir, registered.deviceId)).toEqual({ last_boot: heartbeat.boot, last_seq: heartbeat.seq });
  }, 60_000);

  it('ignores a second signal during shutdown instead of starting a second one', async () => {
    const server = await startServer(tempDir());
    const user = await signUp(server.httpUrl, 'owner');
    // An unresponsive WebSocket keeps the shutdown busy for a while: time for a second signal.
    await holdConnections(server, user.accessToken);

    server.child.kill('SIGTERM');
    await server.waitForLine((line) => line.msg === 'shutting down');
    server.child.kill('SIGINT');
    const exit = await server.exitWithin(EXIT_WAIT_MS);

    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(server.lines.filter((line) => line.msg === 'shutting down')).toHaveLength(1);
    expect(server.lines.filter((line) => line.msg === 'shutdown already in progress; signal ignored')).toMatchObject([{ signal: 'SIGINT' }]);
  }, 60_000);

  it('exits 0 on SIGTERM when idle in the replica setup (Redis event bus and BullMQ, external Mosquitto)', async (ctx) => {
    if (!(await reachable(REDIS_URL)) || !(await reachable(MQTT_URL))) {
      if (process.env.CI === 'true') throw new Error(`CI needs Redis at ${REDIS_URL} and Mosquitto at ${MQTT_URL}`);
      return ctx.skip(`needs Redis at ${REDIS_URL} and Mosquitto at ${MQTT_URL}`);
    }
    const prefix = `test-${randomUUID()}`;
    cleanups.push(async () => {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });
    const server = await spawnServer({
      DATA_DIR: tempDir(),
      HOST: '127.0.0.1',
      PORT: '0',
      SCRYPT_COST: '12',
      REDIS_URL,
      REDIS_KEY_PREFIX: `${prefix}:`,
      MQTT_URL,
      MQTT_USERNAME: 'smartlock-api',
      MQTT_PASSWORD: 'unused-on-this-mosquitto',
      MQTT_TOPIC_PREFIX: prefix,
    });
    cleanups.push(() => server.kill());
    // Idle (no client holds anything open): before the fix, exactly this hung forever.
    const sentAt = Date.now();
    server.child.kill('SIGTERM');
    const exit = await server.exitWithin(EXIT_WAIT_MS);

    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - sentAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
  }, 60_000);

  it('ends cleanly on a SIGTERM that arrives during start-up', async () => {
    const dataDir = tempDir();
    const prefix = `test-${randomUUID()}`;
    const starting = spawnProcess(MAIN_JS, { LOG_LEVEL: 'info', DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MQTT_HOST: '127.0.0.1', MQTT_PORT: '0', MQTT_TLS_PORT: '0', MQTT_TOPIC_PREFIX: prefix });
    cleanups.push(() => starting.kill());
    // Printed early in start-up, before the store, the broker and HTTP are up.
    await starting.waitForLine((line) => typeof line.msg === 'string' && line.msg.startsWith('JWT_SECRET is not set'));
    starting.child.kill('SIGTERM');
    const exit = await starting.exitWithin(EXIT_WAIT_MS);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(starting.lines.map((line) => line.msg)).toContain('shut down cleanly');
  }, 60_000);

  it('ends npm run demo (the demo CLI) on Ctrl-C, even with an unresponsive WebSocket open', async () => {
    const demo: ServerProcess = spawnProcess(DEMO_JS, {
      DATA_DIR: tempDir(),
      HOST: '127.0.0.1',
      PORT: '0',
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: '0',
      MQTT_TLS_PORT: '0',
      MQTT_TOPIC_PREFIX: `test-${randomUUID()}`,
      SCRYPT_COST: '12',
    });
    cleanups.push(() => demo.kill());
    const banner = await demo.waitForLine((line) => typeof line.msg === 'string' && line.msg.startsWith('Smartlock demo is running'), 30_000);
    const playground = String(/http:\/\/\S+\/playground\//.exec(String(banner.msg))?.[0]);
    // The banner names the app and the broker's real port (MQTT_PORT=0 picked one).
    await demo.waitForLine((line) => typeof line.msg === 'string' && /^\s*App: http:\/\/\S+\/$/.test(line.msg));
    const broker = await demo.waitForLine((line) => typeof line.msg === 'string' && line.msg.includes('MQTT broker for locks'));
    expect(Number(/:(\d+)\s*$/.exec(String(broker.msg))?.[1])).toBeGreaterThan(0);
    const frozen = await frozenWebSocket(playground.replace('http', 'ws').replace('/playground/', '/graphql'));
    cleanups.push(() => frozen.destroy());

    const sentAt = Date.now();
    demo.child.kill('SIGINT');
    const exit = await demo.exitWithin(EXIT_WAIT_MS);

    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - sentAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
  }, 60_000);
});
