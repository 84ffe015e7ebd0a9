/**
 * The database holds password hashes, sealed device secrets and the audit log:
 * it is the api's alone (0600), whatever the umask. SQLite gives the -wal and
 * -shm files it creates the mode of the database file, so creating that file
 * 0600 before SQLite does covers all three; files an older version left 0644
 * are tightened on open.
 */
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { isInMemory } from './sqlite-helpers.js';

export const PRIVATE_FILE_MODE = 0o600;

export function makeDatabaseFilesPrivate(file: string): void {
  if (isInMemory(file)) return;
  // 'a' creates the file if missing and never truncates one that exists.
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    if (existsSync(path)) tighten(path);
  }
}

function tighten(path: string): void {
  try {
    chmodSync(path, PRIVATE_FILE_MODE);
  } catch (error) {
    // Another user's file (a shared volume set up by hand): its owner chose the mode, and refusing
    // to start over it would turn an upgrade into an outage.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}
