/**
 * How the auditLog `device` filter compares lock names: without regard to case, for any text
 * ("Haustür"), which SQLite's own lower() and NOCASE cannot do (ASCII only). So the folded name is
 * computed here and stored beside the name (`locks.name_folded`, migration 24, indexed): finding
 * the locks named so is one index search instead of folding every name on every query.
 */
import type { Db } from './sqlite-helpers.js';

export const foldName = (text: string): string => text.toLowerCase();

/** The same folding as a SQL function: migration 24 fills `name_folded` for the locks that exist. */
export function registerNameFolding(db: Db): void {
  db.function('smartlock_fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? foldName(text) : null));
}
