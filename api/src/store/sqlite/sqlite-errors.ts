/** Which better-sqlite3 errors mean the storage is failing, as opposed to a bad query or a broken rule. */
import Database from 'better-sqlite3';

/**
 * SQLITE_FULL (disk or quota full), SQLITE_IOERR_* (a write or sync failed, e.g.
 * EFBIG past a file-size limit), SQLITE_READONLY_*, SQLITE_CANTOPEN_* (the file
 * or directory went away), SQLITE_BUSY_* (another process held the write lock
 * past busy_timeout), SQLITE_PROTOCOL (WAL locking trouble) and SQLITE_NOLFS
 * (a file too large for the OS). Constraint errors are not: they are answers
 * about the data; nor is SQLITE_CORRUPT, which waiting does not fix.
 */
const STORAGE_FAILURES = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|PROTOCOL|NOLFS)(_|$)/;

export function isSqliteStorageFailure(error: unknown): boolean {
  return error instanceof Database.SqliteError && STORAGE_FAILURES.test(error.code);
}
