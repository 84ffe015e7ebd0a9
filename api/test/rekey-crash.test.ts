/**
 * Over-the-air secret rotation survives `kill -9` at each step (docs/protocol.md §13.3, crash
 * analysis): the built api (spawned, SQLite file, embedded broker) and firmware/build/virtual-lock.
 * Each case crashes one side (or both) at one step, restarts, and ends with the lock online under
 * the new secret and a command SUCCEEDED:
 *
 *   1. the api stored the new secret and the lock never got it (lock frozen, both killed)
 *   2. the lock persisted the new secret and died before acking (SMARTLOCK_FAULT)
 *   3. the api switched on the ack and died before the lock switched (lock died after acking, then kill -9 of the api)
 *
 * Needs `npm run build:api` first.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { freePort } from '../src/test-support/free-port.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, ROTATION_STARTED, UNLOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { registerLock, type Registered } from '../src/test-support/locks.js';
import { spawnServer, type RunningServer } from '../src/test-support/server-process.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { BUILD_TIMEOUT_MS, QUICK_HEARTBEAT_ARGS, VirtualLock, virtualLockRigUnavailable } from '../src/test-support/virtual-lock.js';

const WAIT_MS = 20_000;
const ROTATE = 'mutation ($d: ID!) { rotateDeviceSecretOverTheAir(deviceId: $d) { secretRotation { state } } }';
const ROTATABLE = 'query ($d: ID!) { lock(deviceId: $d) { overTheAirRotationUnavailable } }';

let skipReason: string | undefined;
beforeAll(async () => {
  skipReason = await virtualLockRigUnavailable({ builtApi: true });
}, BUILD_TIMEOUT_MS);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `smartlock-rekey-${name}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Rig {
  env: Record<string, string>;
  prefix: string;
  dataDir: string;
  lockDir: string;
  server: RunningServer;
  owner: AuthResult;
  registered: Registered;
}

async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const server = await spawnServer({ HOST: '127.0.0.1', PORT: '0', MQTT_HOST: '127.0.0.1', MQTT_TLS_PORT: '0', SCRYPT_COST: '12', OVERLOAD_LAG_MS: '60000', COMMAND_TIMEOUT_MS: '8000', ...env });
  cleanups.push(() => server.kill());
  return server;
}

/** An api on a fixed broker port (so a restarted one is where the lock looks), a user, a lock. */
async function rig(): Promise<Rig> {
  const prefix = `test-${randomUUID()}`;
  const dataDir = tempDir('api');
  const env = { DATA_DIR: dataDir, MQTT_TOPIC_PREFIX: prefix, MQTT_PORT: String(await freePort()) };
  const server = await startServer(env);
  const owner = await signUp(server.httpUrl, 'owner');
  const registered = await registerLock(server, owner.accessToken);
  return { env, prefix, dataDir, lockDir: tempDir('lock'), server, owner, registered };
}

function startLock(r: Rig, faultEnv: Record<string, string> = {}): VirtualLock {
  // Always the secret it was first given: a rotated one lives in its own state (key_ring.h).
  const lock = new VirtualLock(r.server.brokerUrl, r.prefix, r.registered, r.lockDir, QUICK_HEARTBEAT_ARGS, faultEnv);
  cleanups.push(() => lock.kill('SIGKILL'));
  return lock;
}

async function crashApi(r: Rig): Promise<void> {
  r.server.child.kill('SIGKILL');
  expect(await r.server.exited).toMatchObject({ signal: 'SIGKILL' });
}

interface RotationRow {
  secret_sealed: string;
  rekey_id: string | null;
  secret_pending_sealed: string | null;
  secret_previous_sealed: string | null;
}

function row(r: Rig): RotationRow | undefined {
  const db = new Database(join(r.dataDir, 'smartlock.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[string], RotationRow>('SELECT secret_sealed, rekey_id, secret_pending_sealed, secret_previous_sealed FROM locks WHERE device_id = ?').get(r.registered.deviceId);
  } finally {
    db.close();
  }
}

async function rotatable(r: Rig): Promise<void> {
  await eventually(async () => {
    const view = await gql<{ lock: { overTheAirRotationUnavailable: string | null } }>(r.server.httpUrl, ROTATABLE, { d: r.registered.deviceId }, r.owner.accessToken);
    return view.data?.lock.overTheAirRotationUnavailable === null ? true : null;
  }, WAIT_MS);
}

async function rotate(r: Rig): Promise<string> {
  const before = row(r)?.secret_sealed ?? '';
  const started = await gql<{ rotateDeviceSecretOverTheAir: { secretRotation: { state: string } | null } }>(r.server.httpUrl, ROTATE, { d: r.registered.deviceId }, r.owner.accessToken);
  expect(started.errors).toBeUndefined();
  expect(ROTATION_STARTED).toContain(started.data?.rotateDeviceSecretOverTheAir.secretRotation?.state);
  return before;
}

/** The rotation is over: a new secret, nothing pending or kept. */
async function rotated(r: Rig, before: string): Promise<void> {
  await eventually(async () => {
    const now = row(r);
    return now && now.rekey_id === null && now.secret_previous_sealed === null && now.secret_pending_sealed === null && now.secret_sealed !== before ? true : null;
  }, WAIT_MS);
}

async function unlockSucceeds(r: Rig): Promise<void> {
  const sent = await eventually(async () => {
    const answer = await gql<{ unlock: { id: string } }>(r.server.httpUrl, UNLOCK, { d: r.registered.deviceId }, r.owner.accessToken);
    return answer.data?.unlock.id ?? null; // LOCK_OFFLINE until the lock's first status after the restart
  }, WAIT_MS);
  const done = await eventually(async () => {
    const view = (await gql<{ command: CommandView }>(r.server.httpUrl, COMMAND, { id: sent }, r.owner.accessToken)).data?.command;
    return view && view.state !== 'SENT' ? view : null;
  }, WAIT_MS);
  expect(done.state).toBe('SUCCEEDED');
}

describe('over-the-air secret rotation: kill -9 at each step, then the lock is online and obeys', () => {
  it('1. the api stored the new secret, the lock never got it: both killed, both restarted', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    const r = await rig();
    const first = startLock(r);
    await rotatable(r);
    first.signal('SIGSTOP'); // it reads nothing from here on
    const before = await rotate(r);
    expect(row(r)).toMatchObject({ secret_sealed: before, secret_pending_sealed: expect.any(String) as unknown, secret_previous_sealed: null });
    await crashApi(r);
    await first.kill('SIGKILL');
    r.server = await startServer(r.env);
    const second = startLock(r);
    await rotated(r, before).catch((error: Error) => Promise.reject(new Error(`${error.message}${second.transcript()}`)));
    await unlockSucceeds(r);
  }, 90_000);

  it('2. the lock persisted the new secret and died before acking: restarted, it acks the resent rekey and switches', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    const r = await rig();
    const first = startLock(r, { SMARTLOCK_FAULT: 'exit-after-rekey-persist' });
    await rotatable(r);
    const before = await rotate(r);
    expect(await first.exited).toMatchObject({ code: 9 });
    expect(row(r)).toMatchObject({ secret_sealed: before, secret_pending_sealed: expect.any(String) as unknown });
    const second = startLock(r);
    await second.waitForStderr(/secret: a new one is stored, waiting for the server to use it/);
    await rotated(r, before).catch((error: Error) => Promise.reject(new Error(`${error.message}${second.transcript()}`)));
    await unlockSucceeds(r);
  }, 90_000);

  it('3. the api switched on the ack and was killed before the lock switched: the lock logs in with the old secret and switches on the welcome', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    const r = await rig();
    const first = startLock(r, { SMARTLOCK_FAULT: 'exit-after-rekey-ack' });
    await rotatable(r);
    const before = await rotate(r);
    expect(await first.exited).toMatchObject({ code: 9 });
    // The server switched (the ack arrived) but the lock never saw a message under the new secret.
    await eventually(async () => (row(r)?.secret_previous_sealed === before && row(r)?.secret_pending_sealed === null ? true : null), WAIT_MS);
    await crashApi(r);
    r.server = await startServer(r.env);
    const second = startLock(r);
    await second.waitForStderr(/secret: a new one is stored, waiting for the server to use it/);
    await second.waitForStderr(/secret: the server uses the new one; switched to it/, 0, WAIT_MS);
    await rotated(r, before).catch((error: Error) => Promise.reject(new Error(`${error.message}${second.transcript()}`)));
    await unlockSucceeds(r);
  }, 90_000);
});
