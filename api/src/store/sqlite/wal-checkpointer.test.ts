import { execFile } from 'node:child_process';
import { pbkdf2 } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiRoot } from '../../app/paths.js';
import { configureConnection, openSqliteStore } from './sqlite-store.js';
import { startWalCheckpointer, type CheckpointResult, type WalCheckpointer } from './wal-checkpointer.js';

const PAGE = 4096;
/** Past SQLite's default `wal_autocheckpoint` (1,000 pages), where a commit would have checkpointed. */
const PAST_AUTOCHECKPOINT = 1_200 * PAGE;

describe('WAL checkpoints', () => {
  let dir: string;
  let file: string;
  let db: Database.Database | undefined;
  let checkpointer: WalCheckpointer | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smartlock-wal-'));
    file = join(dir, 'store.db');
  });
  afterEach(async () => {
    await checkpointer?.stop();
    db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The api's connection settings on a table of its own, and a write of about one page per commit. */
  function openConnection(): (rows: number) => void {
    db = new Database(file);
    configureConnection(db);
    db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB)');
    const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
    const body = Buffer.alloc(PAGE - 200, 7);
    return (rows) => {
      for (let i = 0; i < rows; i++) insert.run(body);
    };
  }

  const walBytes = async () => (await stat(`${file}-wal`)).size;

  it("never checkpoints in the api's own commits: the WAL grows past where SQLite would have stopped it", async () => {
    const write = openConnection();
    write(1_500);
    expect(await walBytes()).toBeGreaterThan(PAST_AUTOCHECKPOINT);
  });

  it('starts its worker once the WAL is big enough, which copies every frame back while the api writes on', async () => {
    const write = openConnection();
    const results: CheckpointResult[] = [];
    // A write that starts while the worker is checkpointing cannot restart the WAL from its
    // beginning, so each round appends to it instead: checkpoints 100 ms apart leave each round's
    // first commit a wide gap (20 ms apart, a slow CI machine grew the WAL to 1,232 frames).
    checkpointer = startWalCheckpointer(db!, file, { startAtBytes: 64 * PAGE, pollMs: 10, everyMs: 100, onCheckpoint: (r) => results.push(r) });
    write(10);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(checkpointer.running()).toBe(false); // a small WAL starts no thread

    write(100);
    await vi.waitFor(() => expect(results.some((r) => r.log > 0 && r.checkpointed === r.log)).toBe(true), { timeout: 10_000, interval: 10 });
    expect(checkpointer.running()).toBe(true);

    // Checkpointed in full, the WAL starts over at the next commits instead of growing.
    const copiedAll = (from: number) => results.slice(from).some((r) => r.checkpointed === r.log);
    for (let round = 0; round < 20; round++) {
      const seen = results.length;
      write(100);
      await vi.waitFor(() => expect(copiedAll(seen)).toBe(true), { timeout: 10_000, interval: 5 });
    }
    expect(await walBytes()).toBeLessThan(PAST_AUTOCHECKPOINT);
    expect(db!.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 2_110 });

    await checkpointer.stop();
    expect(checkpointer.running()).toBe(false);
  });

  it("starts one worker, however many of the WAL's size reads were in flight when it got big", async () => {
    const write = openConnection();
    write(100);
    const results: CheckpointResult[] = [];
    // A busy thread pool (password hashing, say) holds each poll's stat back: polls 1 ms apart queue
    // several, and every one of them then finds the WAL big enough.
    const hashing = Array.from({ length: 4 }, () => promisify(pbkdf2)('p', 's', 200_000, 32, 'sha256'));
    checkpointer = startWalCheckpointer(db!, file, { startAtBytes: 16 * PAGE, pollMs: 1, everyMs: 20, onCheckpoint: (r) => results.push(r) });
    await Promise.all(hashing);
    await vi.waitFor(() => expect(results.length).toBeGreaterThan(0), { timeout: 10_000, interval: 5 });
    await checkpointer.stop();
    const seen = results.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(results.length, 'a worker still checkpointing after stop()').toBe(seen);
  });

  it("gives the checkpoints back to SQLite's commits when the worker fails", async () => {
    const write = openConnection();
    const failures: Error[] = [];
    // A WAL whose database is gone: the worker starts, and cannot open the database.
    const gone = join(dir, 'gone.db');
    await writeFile(`${gone}-wal`, '');
    checkpointer = startWalCheckpointer(db!, gone, { startAtBytes: 0, pollMs: 10, onFailure: (e) => failures.push(e) });
    await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 10_000, interval: 10 });
    expect(checkpointer.running()).toBe(false);
    expect(db!.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    write(1_500);
    expect(await walBytes()).toBeLessThan(PAST_AUTOCHECKPOINT);
  });

  it('goes on after a checkpoint fails (a full disk), and says so once', async () => {
    const fixture = join(apiRoot(), 'test', 'fixtures', 'checkpoint-on-full-disk.mjs');
    expect(existsSync(join(apiRoot(), 'dist', 'src', 'store', 'sqlite', 'wal-checkpointer.js')), 'the api is not built: run npm run build:api').toBe(true);
    // Room for the migrated schema and 256 KiB more, for the database and its WAL alike (ulimit -f: 1 KiB blocks).
    await openSqliteStore(file).close();
    const blocks = Math.ceil(statSync(file).size / 1024) + 256;
    const { stdout } = await promisify(execFile)('bash', ['-c', `ulimit -f ${blocks}; exec "$0" "$@"`, process.execPath, fixture, file]);
    const report = JSON.parse(stdout) as { checkpoints: number; errors: string[]; failures: string[]; writes: number };
    expect(report.checkpoints).toBeGreaterThan(0);
    expect(report.errors).toHaveLength(1);
    expect(report.failures).toEqual([]);
    // What the WAL took is in the database once the disk has room again.
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM audit').get()).toEqual({ n: report.writes });
    } finally {
      db.close();
    }
  });

  it('runs for a store on a file, and closing the store ends it', async () => {
    const results: CheckpointResult[] = [];
    const store = openSqliteStore(file, { checkpoints: { startAtBytes: 16 * PAGE, pollMs: 10, everyMs: 20, onCheckpoint: (r) => results.push(r) } });
    try {
      for (let i = 0; i < 200; i++) {
        await store.audit.append({ actor: 'alice', action: 'LOCK_COMMAND', deviceId: 'lock-1', result: 'OK', detail: `entry ${i}` });
      }
      await vi.waitFor(() => expect(results.some((r) => r.checkpointed > 0)).toBe(true), { timeout: 10_000, interval: 10 });
    } finally {
      await store.close();
    }
    const seen = results.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(results.length).toBe(seen);
  });
});
