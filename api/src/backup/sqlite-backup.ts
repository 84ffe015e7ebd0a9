/**
 * SQLite backups through SQLite's online backup API (better-sqlite3's `backup()`): page by page from
 * a connection of its own, consistent as of one moment while the api keeps writing (WAL readers do
 * not block the writer). A backup is written under a temporary name and renamed, so a half-written
 * file never looks like a backup, and it is 0600 like the database (password hashes, sealed secrets).
 */
import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PRIVATE_FILE_MODE } from '../store/sqlite/private-database-file.js';

const PREFIX = 'smartlock-';
const SUFFIX = '.sqlite3';

/** `smartlock-2026-11-30T08-00-00-000Z.sqlite3`: sorts by time, no characters a file system refuses. */
export function backupFileName(at: Date): string {
  return `${PREFIX}${at.toISOString().replace(/[:.]/g, '-')}${SUFFIX}`;
}

/** The backups in `dir`, oldest first. */
export function listBackups(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((n) => n.startsWith(PREFIX) && n.endsWith(SUFFIX)).sort().map((n) => join(dir, n));
}

/** Copies the live database `dbFile` into `dir` and keeps the newest `keep` backups; returns the new file. */
export async function backupDatabase(dbFile: string, dir: string, options: { keep: number; now?: Date }): Promise<string> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const target = join(dir, backupFileName(options.now ?? new Date()));
  const partial = `${target}.partial`;
  // fileMustExist: a typo in DATA_DIR must not back up a new, empty database.
  const source = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    await source.backup(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
  chmodSync(partial, PRIVATE_FILE_MODE);
  renameSync(partial, target);
  pruneBackups(dir, options.keep);
  return target;
}

/** Deletes all but the newest `keep` backups in `dir`. */
export function pruneBackups(dir: string, keep: number): string[] {
  const all = listBackups(dir);
  const old = all.slice(0, Math.max(0, all.length - keep));
  for (const file of old) rmSync(file, { force: true });
  return old;
}
