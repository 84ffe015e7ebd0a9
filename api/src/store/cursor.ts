/**
 * Opaque page cursors shared by the adapters. A cursor is base64url text so
 * clients cannot be tempted to build or parse one; only the adapter that made
 * it knows what it holds.
 */
import type { Page } from './records.js';

/** A cursor that this store did not issue (or that was tampered with). */
export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidCursorError';
  }
}

export function encodeCursor(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const value = Buffer.from(cursor, 'base64url').toString('utf8');
  // Buffer.from ignores bad characters instead of failing: a round trip catches them.
  if (value === '' || encodeCursor(value) !== cursor) throw new InvalidCursorError();
  return value;
}

/** Cursor for a (createdAt, id) position, as commands are listed. */
export function encodeTimeIdCursor(at: Date, id: string): string {
  return encodeCursor(`${at.getTime()}:${id}`);
}

export function decodeTimeIdCursor(cursor: string): { at: Date; id: string } {
  const value = decodeCursor(cursor);
  const colon = value.indexOf(':');
  const ms = Number(value.slice(0, colon));
  if (colon <= 0 || !Number.isSafeInteger(ms)) throw new InvalidCursorError();
  return { at: new Date(ms), id: value.slice(colon + 1) };
}

/** How many rows to fetch for a page: one more than asked, to learn `hasNextPage`. */
export function pageLimit(first: number): number {
  return Math.max(0, Math.floor(first)) + 1;
}

/** Trims the look-ahead row and builds the page from what is left. */
export function toPage<T>(rows: T[], first: number, cursorOf: (item: T) => string): Page<T> {
  const size = pageLimit(first) - 1;
  const items = rows.slice(0, size);
  const last = items[items.length - 1];
  return { items, hasNextPage: rows.length > size, endCursor: last === undefined ? null : cursorOf(last) };
}
