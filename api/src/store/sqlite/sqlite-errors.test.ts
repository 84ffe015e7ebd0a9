import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSqliteStorageFailure } from './sqlite-errors.js';

/** The error a statement really throws (better-sqlite3 throws synchronously). */
function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const codeOf = (error: unknown) => (error instanceof Database.SqliteError ? error.code : String(error));

describe('SQLite storage failures', () => {
  let dir: string;
  let file: string;
  let db: Database.Database;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smartlock-sqlite-errors-'));
    file = join(dir, 'store.db');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)');
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts a read-only database and a write lock held past the busy timeout as storage failures', () => {
    const readOnly = new Database(file, { readonly: true });
    const readOnlyError = errorOf(() => readOnly.prepare("INSERT INTO t (v) VALUES ('a')").run());
    readOnly.close();
    expect(codeOf(readOnlyError)).toMatch(/^SQLITE_READONLY/);
    expect(isSqliteStorageFailure(readOnlyError)).toBe(true);

    const other = new Database(file);
    other.pragma('busy_timeout = 0');
    db.exec('BEGIN IMMEDIATE');
    const busyError = errorOf(() => other.prepare("INSERT INTO t (v) VALUES ('b')").run());
    db.exec('ROLLBACK');
    other.close();
    expect(codeOf(busyError)).toMatch(/^SQLITE_BUSY/);
    expect(isSqliteStorageFailure(busyError)).toBe(true);
  });

  it('does not count broken rules or bad statements', () => {
    db.prepare("INSERT INTO t (v) VALUES ('a')").run();
    expect(isSqliteStorageFailure(errorOf(() => db.prepare("INSERT INTO t (v) VALUES ('a')").run()))).toBe(false);
    expect(isSqliteStorageFailure(errorOf(() => db.prepare('SELECT nope FROM t').all()))).toBe(false);
  });
});
