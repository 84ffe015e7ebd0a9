import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { startBackupSchedule } from './backup-schedule.js';
import { RestoreRefused, restoreDatabase } from './restore-database.js';
import { backupDatabase, backupFileName, listBackups } from './sqlite-backup.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'smartlock-backup-'));
  dirs.push(d);
  return d;
}
const silent = { info: () => {}, error: () => {}, warn: () => {}, debug: () => {} } as never;

/** A Smartlock database (every migration applied) with `users` rows. */
async function smartlockDatabase(dir: string, users: number): Promise<string> {
  const file = join(dir, 'smartlock.db');
  const store = openSqliteStore(file);
  for (let i = 0; i < users; i++) await store.users.create({ username: `user${i}`, passwordHash: 'x', role: 'USER' });
  await store.close();
  return file;
}

describe('backupDatabase (SQLite online backup)', () => {
  it('copies a database that another connection keeps writing to, consistently, 0600, keeping the newest N', async () => {
    const dir = tempDir();
    const file = await smartlockDatabase(dir, 3);
    // A writer in this process's event loop: rows appear while the backup steps through the pages.
    const writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.exec('CREATE TABLE ticks (n INTEGER NOT NULL)');
    const insert = writer.prepare('INSERT INTO ticks (n) VALUES (?)');
    let n = 0;
    const writing = setInterval(() => writer.transaction(() => { for (let i = 0; i < 50; i++) insert.run(n++); })(), 1);
    const backups = join(dir, 'backups');
    const made: string[] = [];
    try {
      for (let i = 0; i < 4; i++) made.push(await backupDatabase(file, backups, { keep: 2, now: new Date(Date.UTC(2026, 10, 30, 3, 0, i)) }));
    } finally {
      clearInterval(writing);
      writer.close();
    }
    expect(listBackups(backups)).toEqual(made.slice(2)); // the two newest
    for (const copy of made.slice(2)) {
      expect(statSync(copy).mode & 0o777).toBe(0o600);
      const db = new Database(copy, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // Consistent: whole transactions only (50 rows each), numbered without gaps.
      const { count, max } = db.prepare('SELECT COUNT(*) AS count, MAX(n) AS max FROM ticks').get() as { count: number; max: number | null };
      expect(count % 50).toBe(0);
      if (count > 0) expect(max).toBe(count - 1);
      expect((db.prepare('SELECT COUNT(*) AS c FROM users').get() as { c: number }).c).toBe(3);
      db.close();
    }
    expect(readFileSync(join(backups, backupFileName(new Date(Date.UTC(2026, 10, 30, 3, 0, 3))))).length).toBeGreaterThan(0);
  });

  it('refuses a database file that does not exist (a wrong DATA_DIR) instead of backing up an empty one', async () => {
    const dir = tempDir();
    await expect(backupDatabase(join(dir, 'nope.db'), join(dir, 'b'), { keep: 1 })).rejects.toThrow();
    expect(listBackups(join(dir, 'b'))).toEqual([]);
  });
});

describe('BACKUP_CRON schedule', () => {
  it('backs up when the cron expression says, then plans the next time', async () => {
    const dir = tempDir();
    const file = await smartlockDatabase(dir, 1);
    // The clock 300 ms before a minute starts: "* * * * *" is due almost at once.
    const start = Date.now();
    const offset = 60_000 - (start % 60_000) - 300;
    const now = () => Date.now() + offset;
    const results: boolean[] = [];
    const schedule = startBackupSchedule({ cron: '* * * * *', dbFile: file, dir: join(dir, 'b'), keep: 5, log: silent, now, onResult: (ok) => results.push(ok) });
    const firstDue = schedule.nextAt!.getTime();
    expect(firstDue - now()).toBeLessThanOrEqual(300);
    await expect.poll(() => results, { timeout: 5000 }).toEqual([true]);
    expect(listBackups(join(dir, 'b'))).toHaveLength(1);
    await expect.poll(() => schedule.nextAt!.getTime()).toBe(firstDue + 60_000);
    await schedule.stop();
  });

  it('counts a failed backup and keeps its schedule', async () => {
    const dir = tempDir();
    const offset = 60_000 - (Date.now() % 60_000) - 200;
    const results: boolean[] = [];
    const schedule = startBackupSchedule({ cron: '* * * * *', dbFile: join(dir, 'missing.db'), dir: join(dir, 'b'), keep: 5, log: silent, now: () => Date.now() + offset, onResult: (ok) => results.push(ok) });
    await expect.poll(() => results, { timeout: 5000 }).toEqual([false]);
    await expect.poll(() => schedule.nextAt!.getTime() - (Date.now() + offset)).toBeGreaterThan(50_000);
    await schedule.stop();
  });
});

describe('restoreDatabase', () => {
  it('puts the backup in place and moves the current database, WAL included, aside', async () => {
    const dir = tempDir();
    const file = await smartlockDatabase(dir, 2);
    const backup = await backupDatabase(file, join(dir, 'b'), { keep: 1 });
    const live = openSqliteStore(file);
    await live.users.create({ username: 'after-backup', passwordHash: 'x', role: 'USER' });
    await live.close();
    writeFileSync(`${file}-wal`, 'not the restored database\'s WAL');
    const aside = restoreDatabase(backup, file, new Date(Date.UTC(2026, 10, 30)));
    expect(aside).toEqual([`${file}.before-restore-2026-11-30T00-00-00-000Z`, `${file}.before-restore-2026-11-30T00-00-00-000Z-wal`]);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const restored = openSqliteStore(file);
    expect((await restored.users.list()).map((u) => u.username).sort()).toEqual(['user0', 'user1']);
    await restored.close();
  });

  it('refuses what is not a healthy Smartlock database, naming why', async () => {
    const dir = tempDir();
    const file = await smartlockDatabase(dir, 0);
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello');
    expect(() => restoreDatabase(text, file, new Date())).toThrow(RestoreRefused);
    const other = join(dir, 'other.db');
    new Database(other).exec('CREATE TABLE t (x)').close();
    expect(() => restoreDatabase(other, file, new Date())).toThrow(/not a Smartlock database \(no users table\)/);
    expect(() => restoreDatabase(join(dir, 'missing.sqlite3'), file, new Date())).toThrow(/cannot be opened/);
  });

  it('refuses while another process has the database open (a running api)', async () => {
    const dir = tempDir();
    const file = await smartlockDatabase(dir, 1);
    const backup = await backupDatabase(file, join(dir, 'b'), { keep: 1 });
    const holder = spawn(process.execPath, ['-e', `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(file)}); db.prepare('SELECT 1').get(); process.stdout.write('open\\n'); setInterval(() => {}, 1000);`], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      expect(() => restoreDatabase(backup, file, new Date())).toThrow(new RegExp(`is open in process ${holder.pid}: stop the api first`));
      expect(existsSync(file)).toBe(true);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
