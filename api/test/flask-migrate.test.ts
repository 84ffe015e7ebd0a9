/**
 * `npm run migrate -- --from <uri>` (built CLI, spawned) copying a Flask-shaped database on CongoDB
 * (documents written with the plain driver) into a real SQLite file: everything once, nothing on a
 * dry run, nothing more on a second run, Werkzeug sign-in afterwards, conflicts named.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoot } from '../src/app/paths.js';
import type { Store } from '../src/store/ports.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { startCongoDb, type CongoDb } from '../src/test-support/congodb.js';
import { gql, SIGN_IN, type AuthResult } from '../src/test-support/graphql-client.js';
import { startTestApp } from '../src/test-support/test-app.js';

const execFileAsync = promisify(execFile);
const fixtures = JSON.parse(readFileSync(join(__dirname, 'fixtures/werkzeug/werkzeug-hashes.json'), 'utf8')) as { password: string; hash: string }[];
const scrypt = fixtures.find((f) => f.hash.startsWith('scrypt:32768:8:1$'))!;
const pbkdf2 = fixtures.find((f) => f.hash.startsWith('pbkdf2:sha256:260000$'))!;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function migrate(dataDir: string, args: string[]): Promise<CliResult> {
  const { NODE_ENV: _ignored, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [join(apiRoot(), 'dist', 'src', 'cli', 'migrate.js'), ...args], {
      env: { ...inherited, DATA_DIR: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const cleanups: (() => unknown)[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smartlock-migrate-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function withSqlite<T>(dataDir: string, read: (store: Store) => Promise<T>): Promise<T> {
  const store = openSqliteStore(join(dataDir, 'smartlock.db'));
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

/** Everything the migration may write, in a comparable form. */
async function snapshot(dataDir: string) {
  return withSqlite(dataDir, async (store) => ({
    users: (await store.users.list()).map(({ username, passwordHash, role }) => ({ username, passwordHash, role })),
    locks: (await store.locks.listAll()).map(({ deviceId, name, owner, state, issue, secretSealed, lastSeen, status }) => ({ deviceId, name, owner, state, issue, secretSealed, lastSeen, status })),
    audit: (await store.audit.query({}, { first: 100 })).items.map(({ at, actor, action, deviceId, result, detail }) => ({ at, actor, action, deviceId, result, detail })),
  }));
}

let congo: CongoDb;
let uri: string;
const loggedWithoutAt = new ObjectId();

beforeAll(async () => {
  congo = await startCongoDb();
  uri = congo.uri.replace('/?', '/flask?');
  const client = await MongoClient.connect(uri);
  const db = client.db('flask');
  await db.collection('users').insertMany([
    { _id: new ObjectId(), username: 'alice', password_hash: scrypt.hash, role: 'user', created_at: 1_700_000_000.5 },
    { _id: new ObjectId(), username: 'bob', password_hash: pbkdf2.hash, role: 'admin' },
    { _id: new ObjectId(), username: 'Carol', password_hash: pbkdf2.hash, role: 'user' },
    { _id: new ObjectId(), username: 'carol', password_hash: pbkdf2.hash, role: 'user' },
    { _id: new ObjectId(), username: 'erin', role: 'user' },
  ]);
  await db.collection('locks').insertMany([
    { _id: new ObjectId(), device_id: 'front', name: 'Front door', owner: 'alice', status: 'Locked', state: 'Available', last_seen: 1_700_000_000.25 },
    { _id: new ObjectId(), device_id: 'shed', owner: 'bob', status: 'Unlocked', state: 'Available', last_seen: '2023-11-14T22:13:20.000Z' },
    { _id: new ObjectId(), device_id: 'orphan', owner: 'dave', status: 'Locked', state: 'Available' },
    { _id: new ObjectId(), device_id: 'carols', owner: 'Carol', status: 'Locked', state: 'Available' },
  ]);
  await db.collection('logs').insertMany([
    { _id: new ObjectId(), at: new Date('2023-11-14T22:00:00.000Z'), actor: 'alice', action: 'unlock', device_id: 'front', result: 'ok' },
    { _id: loggedWithoutAt, actor: 'bob', action: 'lock', device_id: 'shed', result: 'ok' },
  ]);
  await client.close();
}, 60_000);

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await congo?.stop();
});

describe('npm run migrate from a Flask database', () => {
  it('on a dry run says what it would copy, names what it skips, and writes nothing', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const result = await migrate(dataDir, ['--from', uri, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('would copy 2 users, 2 locks, 2 log entries');
    expect(result.stdout).toContain('skipped users "Carol", "carol": usernames differing only in case');
    expect(result.stdout).toContain('skipped lock "orphan": its owner "dave" is not migrated (no such user)');
    expect(result.stdout).toContain('skipped lock "carols": its owner "Carol" is not migrated (username differing only in case)');
    expect(result.stdout).toContain('skipped user "erin": no password hash');
    expect(result.stdout).toContain('dry run: nothing was written');
    expect(existsSync(join(dataDir, 'smartlock.db'))).toBe(false);
  });

  it('copies everything once, a second run changes nothing, and migrated users sign in with their Werkzeug password', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    const first = await migrate(dataDir, ['--from', uri]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('copied 2 users, 2 locks, 2 log entries');

    const copied = await snapshot(dataDir);
    expect(copied.users).toEqual([
      { username: 'alice', passwordHash: scrypt.hash, role: 'USER' },
      { username: 'bob', passwordHash: pbkdf2.hash, role: 'ADMIN' },
    ]);
    expect(copied.locks.sort((a, b) => a.deviceId.localeCompare(b.deviceId))).toEqual([
      { deviceId: 'front', name: 'Front door', owner: 'alice', state: 'UNAVAILABLE', issue: 'Needs re-provisioning', secretSealed: '', lastSeen: new Date('2023-11-14T22:13:20.250Z'), status: 'LOCKED' },
      { deviceId: 'shed', name: 'shed', owner: 'bob', state: 'UNAVAILABLE', issue: 'Needs re-provisioning', secretSealed: '', lastSeen: new Date('2023-11-14T22:13:20.000Z'), status: 'UNLOCKED' },
    ]);
    expect(copied.audit).toEqual([
      { at: loggedWithoutAt.getTimestamp(), actor: 'bob', action: 'lock', deviceId: 'shed', result: 'ok', detail: null },
      { at: new Date('2023-11-14T22:00:00.000Z'), actor: 'alice', action: 'unlock', deviceId: 'front', result: 'ok', detail: null },
    ]);

    const second = await migrate(dataDir, ['--from', uri]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('copied 0 users, 0 locks, 0 log entries; already there: 2 users, 2 locks, 2 log entries');
    expect(await snapshot(dataDir)).toEqual(copied);

    const app = await startTestApp({ DATA_DIR: dataDir });
    try {
      for (const [username, fixture] of [['alice', scrypt], ['bob', pbkdf2]] as const) {
        const wrong = await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username, password: `${fixture.password}x` });
        expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        const signedIn = await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username, password: fixture.password });
        expect(signedIn.errors).toBeUndefined();
        expect(signedIn.data?.signIn.accessToken).toBeTruthy();
      }
    } finally {
      await app.close();
    }
  });

  it('stops before writing when the target holds different data under a migrated name, and names it', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    await withSqlite(dataDir, async (store) => {
      await store.users.create({ username: 'alice', passwordHash: 'x', role: 'ADMIN' });
      await store.users.create({ username: 'bob', passwordHash: 'x', role: 'ADMIN' });
      await store.users.create({ username: 'zed', passwordHash: 'x', role: 'USER' });
      await store.locks.create({ deviceId: 'shed', name: 'Shed', owner: 'zed', secretSealed: 'sealed' });
    });
    const result = await migrate(dataDir, ['--from', uri]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('conflict: user "alice": already in the target with role ADMIN, USER in the source');
    expect(result.stderr).toContain('conflict: lock "shed": already in the target owned by "zed", by "bob" in the source');
    expect(result.stderr).toContain('nothing was written');
    const after = await snapshot(dataDir);
    expect(after.users.map((user) => user.username)).toEqual(['alice', 'bob', 'zed']);
    expect(after.locks.map((lock) => [lock.deviceId, lock.owner])).toEqual([['shed', 'zed']]);
    expect(after.audit).toEqual([]);
  });

  it('names an unreachable source', { timeout: 60_000 }, async () => {
    const result = await migrate(tempDir(), ['--from', 'mongodb://flask:hunter2@127.0.0.1:1/flask', '--dry-run']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot read the Flask database at mongodb://flask:***@127.0.0.1:1/flask');
    expect(result.stderr).not.toContain('hunter2');
  });
});
