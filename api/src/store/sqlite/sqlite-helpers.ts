/** Small conversions shared by the SQLite repositories. Dates are stored as epoch ms. */
import Database from 'better-sqlite3';

export type Db = Database.Database;

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

/** The row of an INSERT … RETURNING, which always has one when the INSERT did not throw. */
export function inserted<T>(row: T | undefined): T {
  if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
  return row;
}

/** A LIMIT value: SQLite reads a negative LIMIT as "no limit", which a caller never means. */
export function sqlLimit(limit: number): number {
  return Math.max(0, Math.floor(limit));
}
