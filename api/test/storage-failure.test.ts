/**
 * The built api on a disk that fills up. The api runs as a child process under
 * `ulimit -f` (writes past the limit fail with EFBIG; Node ignores SIGXFSZ), and
 * the test fills the database's write-ahead log from its own, unlimited
 * connection, so the api's next commit must grow a file past the limit. A
 * TRUNCATE checkpoint from the test then gives the space back.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoot } from '../src/app/paths.js';
import { MemoryCounterStore } from '../src/simulator/counter-store.js';
import { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { gql, signUp, type AuthResult, type GraphQLResponse } from '../src/test-support/graphql-client.js';
import { LOCK_QUERY, UNLOCK } from '../src/test-support/lock-operations.js';
import { REGISTER } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';

const MAIN = join(apiRoot(), 'dist', 'src', 'main.js');
/** In 1 KiB blocks: far more than the api needs, far less than the filler. */
const FILE_LIMIT_BLOCKS = 1024;
const FILLER_BYTES = 2 * 1024 * 1024;
const REQUEST_ID = /^[0-9a-f-]{36}$/;

interface RunningApi {
  child: ChildProcessWithoutNullStreams;
  base: string;
  brokerUrl: string;
}

/** Starts the built api under the file-size limit and reads its URL and broker port from its log. */
async function startLimitedApi(dataDir: string, topicPrefix: string): Promise<RunningApi> {
  const child = spawn('bash', ['-c', `ulimit -f ${FILE_LIMIT_BLOCKS}; exec "$0" "$@"`, process.execPath, MAIN], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      SCRYPT_COST: '12',
      MQTT_PORT: '0',
      MQTT_TLS_PORT: '0',
      MQTT_HOST: '127.0.0.1',
      MQTT_TOPIC_PREFIX: topicPrefix,
      LOG_LEVEL: 'info',
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let brokerPort: number | undefined;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; port?: number; url?: string };
      if (entry.msg?.startsWith('embedded MQTT broker listening')) brokerPort = entry.port;
      if (entry.msg?.startsWith('Smartlock api listening') && entry.url && brokerPort) {
        resolve({ child, base: entry.url, brokerUrl: `mqtt://127.0.0.1:${brokerPort}` });
      }
    });
    child.on('exit', (code) => reject(new Error(`the api exited (${code}) before listening: ${stderr}`)));
  });
}

async function stopApi(api: RunningApi): Promise<void> {
  if (api.child.exitCode !== null) return;
  const exited = new Promise((resolve) => api.child.once('exit', resolve));
  api.child.kill('SIGTERM');
  await exited;
}

async function readyStatus(base: string): Promise<number> {
  return (await fetch(`${base}/readyz`)).status;
}

async function failureCount(base: string, operation: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const match = new RegExp(`^smartlock_store_write_failures_total\\{operation="${operation.replace('.', '\\.')}"\\} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

function storageError(response: GraphQLResponse<unknown>): { code?: string; requestId?: unknown } | undefined {
  return response.errors?.[0]?.extensions;
}

let dataDir: string;
const topicPrefix = `test-${randomUUID()}`;
let api: RunningApi | undefined;
let filler: Database.Database | undefined;
let sim: SimulatedLock | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'smartlock-full-api-'));
  if (!existsSync(MAIN)) return;
  api = await startLimitedApi(dataDir, topicPrefix);
}, 30_000);

afterAll(async () => {
  await sim?.stop({ graceful: false });
  filler?.close();
  if (api) await stopApi(api);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Grows the write-ahead log past the api's limit from the test's own connection, and keeps it there (no checkpoint). */
function fillDisk(): Database.Database {
  const db = new Database(join(dataDir, 'smartlock.db'));
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE filler (b BLOB)');
  db.prepare('INSERT INTO filler VALUES (zeroblob(?))').run(FILLER_BYTES);
  return db;
}

/** Space comes back: the log is copied into the (unlimited) main file and truncated, so the api's next commit starts it afresh. */
function freeDisk(db: Database.Database): void {
  db.exec('DROP TABLE filler');
  // busy 1 would mean a reader kept the log in use, so it was not truncated.
  expect(db.pragma('wal_checkpoint(TRUNCATE)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
}

describe('the api on a full disk', () => {
  it('refuses writes with STORAGE_UNAVAILABLE, sends nothing, is unready until space returns, and counts the failures', async () => {
    expect(api, 'the api is not built: run npm run build:api').toBeDefined();
    if (!api) return;
    const { base } = api;
    const graphql = `${base}/graphql`;
    const owner: AuthResult = await signUp(graphql, 'full-disk-owner');
    const registered = await gql<{ registerLock: { deviceSecret: string } }>(graphql, REGISTER, { d: 'full-door', n: 'Front door' }, owner.accessToken);
    const deviceSecret = registered.data?.registerLock.deviceSecret;
    if (!deviceSecret) throw new Error(`registerLock failed: ${JSON.stringify(registered.errors)}`);
    sim = new SimulatedLock({ brokerUrl: api.brokerUrl, deviceId: 'full-door', deviceSecret, topicPrefix, heartbeatMs: 60_000, state: new MemoryCounterStore() });
    await sim.start();
    await eventually(async () => (await gql<{ lock: { state: string } }>(graphql, LOCK_QUERY, { d: 'full-door' }, owner.accessToken)).data?.lock.state === 'AVAILABLE');
    expect(await readyStatus(base)).toBe(200);

    filler = fillDisk();

    const refusedLock = await gql(graphql, REGISTER, { d: 'lost-door', n: 'Back door' }, owner.accessToken);
    expect(storageError(refusedLock)?.code).toBe('STORAGE_UNAVAILABLE');
    expect(storageError(refusedLock)?.requestId).toMatch(REQUEST_ID);
    expect(refusedLock.data).toBeNull();
    const refusedUnlock = await gql(graphql, UNLOCK, { d: 'full-door' }, owner.accessToken);
    expect(storageError(refusedUnlock)?.code).toBe('STORAGE_UNAVAILABLE');
    expect(storageError(refusedUnlock)?.requestId).toMatch(REQUEST_ID);
    expect(await readyStatus(base)).toBe(503);
    expect(await failureCount(base, 'locks.create')).toBe(1);
    expect(await failureCount(base, 'commands.open')).toBe(1);
    expect(await failureCount(base, 'probeWrite')).toBeGreaterThanOrEqual(1);

    freeDisk(filler);
    expect(await readyStatus(base)).toBe(200);
    const retried = await gql(graphql, REGISTER, { d: 'lost-door', n: 'Back door' }, owner.accessToken);
    expect(retried.errors).toBeUndefined();
    const unlocked = await gql<{ unlock: { id: string } }>(graphql, UNLOCK, { d: 'full-door' }, owner.accessToken);
    expect(unlocked.errors).toBeUndefined();
    // Commands reach the lock in order (QoS 1): had the refused unlock been published, it would have arrived first.
    const lock = sim;
    await eventually(async () => lock.status === 'UNLOCKED');
    expect(lock.stats.received).toBe(1);
  });
});
