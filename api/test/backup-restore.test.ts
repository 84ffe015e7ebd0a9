/**
 * Issue 14 item 7, backups: the built api (embedded broker) with simulated locks under load,
 * `npm run backup` while it runs, the api stopped, DATA_DIR wiped, `npm run restore`, the api
 * started again (docs/operations.md). Then: every lock is back within one heartbeat, no token from
 * before the restore works (not even one issued after the backup), no command ran twice, a command
 * in flight when the backup was taken ends TIMED_OUT "restored from a backup", and a new command
 * succeeds (its counter above what the lock has seen).
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { apiRoot } from '../src/app/paths.js';
import { RESTORED_COMMAND_REASON, RESTORED_ISSUE } from '../src/backup/after-restore.js';
import { Topics } from '../src/devices/protocol/topics.js';
import { MemoryCounterStore } from '../src/simulator/counter-store.js';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, LOCK, LOCK_QUERY, UNLOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { registerLock, startLock, type Registered } from '../src/test-support/locks.js';
import { publishStatus, rawLock, signedStatus } from '../src/test-support/raw-lock.js';
import { spawnServer, type RunningServer } from '../src/test-support/server-process.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { freePort } from '../src/test-support/free-port.js';

const run = promisify(execFile);
const HEARTBEAT_MS = 9000; // the protocol's heartbeat
const LOCKS = 4;

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smartlock-restore-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function cli(name: 'backup' | 'restore', env: Record<string, string>, args: string[] = []): Promise<string> {
  const { NODE_ENV: _ignored, ...inherited } = process.env;
  const { stdout } = await run(process.execPath, [join(apiRoot(), 'dist', 'src', 'cli', `${name}.js`), ...args], { env: { ...inherited, ...env } });
  return stdout;
}

async function command(server: RunningServer, token: string, mutation: string, deviceId: string): Promise<string> {
  const response = await gql<{ lock?: { id: string }; unlock?: { id: string } }>(server.httpUrl, mutation, { d: deviceId }, token);
  const id = (response.data?.lock ?? response.data?.unlock)?.id;
  if (!id) throw new Error(`command refused: ${JSON.stringify(response.errors)}`);
  return id;
}

async function commandState(server: RunningServer, token: string, id: string): Promise<CommandView | undefined> {
  return (await gql<{ command: CommandView }>(server.httpUrl, COMMAND, { id }, token)).data?.command;
}

async function lockState(server: RunningServer, token: string, deviceId: string): Promise<{ state: string; issue: string | null } | undefined> {
  return (await gql<{ lock: { state: string; issue: string | null } }>(server.httpUrl, LOCK_QUERY, { d: deviceId }, token)).data?.lock;
}

describe('backup under load, wipe, restore', () => {
  it('brings every lock back within one heartbeat, revives no token, runs no command twice', async () => {
    const dataDir = tempDir();
    const backupDir = tempDir();
    const env = {
      HOST: '127.0.0.1',
      PORT: '0',
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: String(await freePort()),
      MQTT_TLS_PORT: '0',
      SCRYPT_COST: '12',
      DATA_DIR: dataDir,
      BACKUP_DIR: backupDir,
      // The keys live outside DATA_DIR, as in production (docs/operations.md): wiping it loses none.
      JWT_SECRET: randomBytes(32).toString('hex'),
      SECRETS_KEY: randomBytes(32).toString('hex'),
      MQTT_TOPIC_PREFIX: `test-${randomUUID()}`,
      COMMAND_TIMEOUT_MS: '60000', // the never-acked command stays SENT across the backup
      OVERLOAD_LAG_MS: '60000',
      COMMAND_RATE_BURST_MAX: '100000',
      COMMAND_RATE_SUSTAINED_MAX: '100000',
    };
    const topics = { prefix: env.MQTT_TOPIC_PREFIX };
    let server = await spawnServer(env);
    cleanups.push(() => server.kill());
    const owner = await signUp(server.httpUrl, 'owner');

    // The locks, and every command each one executed (a command run twice would show twice).
    const executed: string[] = [];
    const registered: Registered[] = [];
    const sims: SimulatedLock[] = [];
    for (let i = 0; i < LOCKS; i++) {
      const lock = await registerLock(server, owner.accessToken);
      const sim = await startLock({ brokerUrl: server.brokerUrl, topics }, lock, { heartbeatMs: HEARTBEAT_MS, state: new MemoryCounterStore() });
      sim.on('command', (event) => {
        if (event.outcome === 'ok' && event.id) executed.push(event.id);
      });
      cleanups.push(() => sim.stop({ graceful: false }));
      registered.push(lock);
      sims.push(sim);
    }
    // A lock that never acks: its command is in flight while the backup is taken.
    const silent = await registerLock(server, owner.accessToken);
    const silentClient = await rawLock(server, silent);
    cleanups.push(() => silentClient.endAsync(true));
    await publishStatus({ topics: new Topics(topics.prefix) }, silentClient, silent, signedStatus(silent, { seq: 1 }));
    await eventually(async () => (await lockState(server, owner.accessToken, silent.deviceId))?.state === 'AVAILABLE');
    const inFlight = await command(server, owner.accessToken, UNLOCK, silent.deviceId);

    // Load while the backup runs: on every lock, one command after another (each awaited, so none
    // supersedes the one before), besides the heartbeats.
    let loading = true;
    const issued: string[] = [];
    const load = Promise.all(
      registered.map(async (lock) => {
        for (let round = 0; loading || round === 0; round++) {
          const id = await command(server, owner.accessToken, round % 2 ? LOCK : UNLOCK, lock.deviceId);
          issued.push(id);
          await eventually(async () => (await commandState(server, owner.accessToken, id))?.state === 'SUCCEEDED');
        }
      }),
    );
    const backupFile = (await cli('backup', env)).trim();
    loading = false;
    await load;
    expect(backupFile.startsWith(backupDir)).toBe(true);
    expect(issued.length).toBeGreaterThanOrEqual(LOCKS);

    // After the backup: a session the backup does not know, and more commands.
    const signedInAfterBackup = (await gql<{ signIn: AuthResult }>(server.httpUrl, SIGN_IN, { username: 'owner', password: 'correct horse battery' })).data!.signIn;
    const after = await command(server, owner.accessToken, LOCK, registered[0]!.deviceId);
    await eventually(async () => (await commandState(server, owner.accessToken, after))?.state === 'SUCCEEDED');

    // Stop, wipe, restore.
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
    const said = await cli('restore', env, [backupFile]);
    // In flight at the backup: the silent lock's command, and any of the load's that had no ack yet.
    const summary = /restored: 1 users must sign in again, (\d+) locks are unavailable until they report, (\d+) commands in flight ended TIMED_OUT/.exec(said);
    expect(summary, said).not.toBeNull();
    expect(Number(summary![1])).toBe(LOCKS + 1);
    expect(Number(summary![2])).toBeGreaterThanOrEqual(1);

    server = await spawnServer(env);
    const startedAt = Date.now();
    const again = (await gql<{ signIn: AuthResult }>(server.httpUrl, SIGN_IN, { username: 'owner', password: 'correct horse battery' })).data!.signIn;

    // No token from before the restore works: not the one the backup knew, not the one issued after it.
    for (const token of [owner.accessToken, signedInAfterBackup.accessToken]) {
      expect(errorCodes(await gql(server.httpUrl, LOCK_QUERY, { d: registered[0]!.deviceId }, token))).toContain('UNAUTHENTICATED');
    }
    for (const refreshToken of [owner.refreshToken, signedInAfterBackup.refreshToken]) {
      expect(errorCodes(await gql(server.httpUrl, 'mutation ($r: String!) { refreshSession(refreshToken: $r) { accessToken } }', { r: refreshToken }))).toContain('UNAUTHENTICATED');
    }

    // Every lock back within one heartbeat of the api's start; until then it was not shown as reachable.
    const shownBefore = await lockState(server, again.accessToken, silent.deviceId);
    expect(shownBefore).toMatchObject({ state: 'UNAVAILABLE' });
    expect([RESTORED_ISSUE, 'Server restarted']).toContain(shownBefore!.issue);
    for (const lock of registered) {
      await eventually(async () => (await lockState(server, again.accessToken, lock.deviceId))?.state === 'AVAILABLE', HEARTBEAT_MS);
    }
    expect(Date.now() - startedAt).toBeLessThanOrEqual(HEARTBEAT_MS);

    // The command in flight at the backup: ended, never sent again.
    expect(await commandState(server, again.accessToken, inFlight)).toMatchObject({ state: 'TIMED_OUT', reason: RESTORED_COMMAND_REASON });

    // A new command on the lock that executed the most since the backup succeeds, and nothing ran twice.
    const fresh = await command(server, again.accessToken, UNLOCK, registered[0]!.deviceId);
    await eventually(async () => (await commandState(server, again.accessToken, fresh))?.state === 'SUCCEEDED');
    expect(executed).toContain(fresh);
    expect(new Set(executed).size).toBe(executed.length);
    expect(executed).not.toContain(inFlight);
  }, 120_000);
});
