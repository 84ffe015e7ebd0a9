/**
 * Puts a backup in place of the SQLite database. Refuses a file that is not a healthy Smartlock
 * database, and refuses while another process (the api) has the database open: replacing it under
 * a running api would let that api go on writing to the file it already opened. The current files
 * (database, -wal, -shm) are moved aside, never deleted: the WAL in particular belongs to the old
 * database, and left in place it would be replayed into the restored one.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readlinkSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { PRIVATE_FILE_MODE } from '../store/sqlite/private-database-file.js';

export class RestoreRefused extends Error {}

/** Checks the backup can be opened, is intact and holds Smartlock's tables. */
export function checkBackup(file: string): void {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new RestoreRefused(`${file}: cannot be opened as SQLite (${(error as Error).message})`, { cause: error });
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new RestoreRefused(`${file}: integrity check failed (${String(integrity)})`);
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
    for (const table of ['users', 'locks', 'commands', 'audit']) {
      if (!tables.has(table)) throw new RestoreRefused(`${file}: not a Smartlock database (no ${table} table)`);
    }
  } catch (error) {
    if (error instanceof RestoreRefused) throw error;
    throw new RestoreRefused(`${file}: ${(error as Error).message}`, { cause: error });
  } finally {
    db.close();
  }
}

/** Process ids (other than this one) holding `file` open, from /proc; empty where /proc is missing. */
export function processesWithFileOpen(file: string): number[] {
  const wanted = new Set([file, `${file}-wal`, `${file}-shm`].map((f) => resolve(f)));
  const found: number[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return found; // not Linux: the docs say to stop the api first
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's process
    }
    for (const fd of fds) {
      try {
        if (wanted.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) {
          found.push(Number(pid));
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  return found;
}

/** Replaces `dbFile` with `backupFile`; returns the names the previous files were moved to. */
export function restoreDatabase(backupFile: string, dbFile: string, now: Date): string[] {
  checkBackup(backupFile);
  const holders = processesWithFileOpen(dbFile);
  if (holders.length > 0) throw new RestoreRefused(`${dbFile} is open in process ${holders.join(', ')}: stop the api first`);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const movedAside: string[] = [];
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const current = `${dbFile}${suffix}`;
    if (!existsSync(current)) continue;
    const aside = `${dbFile}.before-restore-${stamp}${suffix}`;
    renameSync(current, aside);
    movedAside.push(aside);
  }
  mkdirSync(dirname(dbFile), { recursive: true, mode: 0o700 }); // a wiped DATA_DIR
  copyFileSync(backupFile, dbFile);
  chmodSync(dbFile, PRIVATE_FILE_MODE);
  return movedAside;
}
