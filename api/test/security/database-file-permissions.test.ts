/**
 * Issue 9 item 10: the SQLite database (password hashes, sealed device secrets, the audit log) and
 * its -wal/-shm files were created 0644, readable by every local user. They, the development
 * secrets kept in DATA_DIR and DATA_DIR itself when the api creates it are the api's alone.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../src/test-support/graphql-client.js';
import { startTestApp } from '../../src/test-support/test-app.js';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);
const DB_FILES = ['smartlock.db', 'smartlock.db-wal', 'smartlock.db-shm'];

let root: string;
let previousUmask: number;
beforeAll(() => {
  // The usual umask, which makes new files 0644: the test must not pass only thanks to a strict one.
  previousUmask = process.umask(0o022);
  root = mkdtempSync(join(tmpdir(), 'smartlock-perms-'));
});
afterAll(() => {
  process.umask(previousUmask);
  rmSync(root, { recursive: true, force: true });
});

describe('files in DATA_DIR are readable by the api only', () => {
  it('creates DATA_DIR 0700, the database and its -wal/-shm 0600, and the development secrets 0600', async () => {
    const dataDir = join(root, 'fresh', 'data');
    const app = await startTestApp({ DATA_DIR: dataDir });
    try {
      await signUp(app.httpUrl, 'perms');
      expect(modeOf(dataDir)).toBe('700');
      for (const file of [...DB_FILES, 'jwt-secret', 'secrets-key']) expect([file, modeOf(join(dataDir, file))]).toEqual([file, '600']);
    } finally {
      await app.stop();
    }
  });

  it('tightens a database an older version left 0644', async () => {
    const dataDir = join(root, 'upgraded');
    mkdirSync(dataDir);
    const old = new Database(join(dataDir, 'smartlock.db'));
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE leftover (x)');
    old.close();
    expect(modeOf(join(dataDir, 'smartlock.db'))).toBe('644');
    const app = await startTestApp({ DATA_DIR: dataDir });
    try {
      await signUp(app.httpUrl, 'upgrader');
      for (const file of DB_FILES) expect([file, modeOf(join(dataDir, file))]).toEqual([file, '600']);
    } finally {
      await app.stop();
    }
  });
});
