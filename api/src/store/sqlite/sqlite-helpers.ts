/** Small conversions shared by the SQLite repositories. Dates are stored as epoch ms. */
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** SQLite's names for a database with no file: `:memory:`, and '' (a temporary one). */
export function isInMemory(file: string): boolean {
  return file === ':memory:' || file === '';
}

export function toMs(date: Date): number {
  return date.getTime();
}

export function toMsOrNull(date: Date | null | undefined): number | null {
  return date == null ? null : date.getTime();
}

export function fromMsOrNull(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

/** True for UNIQUE and PRIMARY KEY violations, which callers map to DuplicateKeyError. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  );
}

/** True for a FOREIGN KEY violation (e.g. a lock's owner who has no account). */
export function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * Runs a write that has a RETURNING clause and gives its first row.
 *
 * Never use `.get()` for these: it stops stepping after the first row, and in
 * autocommit mode SQLite commits only when the statement steps to its end. The
 * reset that follows discards the commit's error, so on a full disk `.get()`
 * answered with a row that was never stored. `.all()` steps to SQLITE_DONE, so
 * a failed commit throws here.
 */
export function writeReturning<P extends unknown[], R>(statement: Database.Statement<P, R>, ...params: P): R | undefined {
  return statement.all(...params)[0];
}

/** The row of an INSERT … RETURNING, which always has one when the INSERT did not throw. */
export function inserted<T>(row: T | undefined): T {
  if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
  return row;
}

/** A LIMIT value: SQLite reads a negative LIMIT as "no limit", which a caller never means. */
export function sqlLimit(limit: number): number {
  return Math.max(0, Math.floor(limit));
}
