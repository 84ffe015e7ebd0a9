import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openMongoStore } from './mongo/mongo-store.js';
import type { Store } from './ports.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

export interface OpenStoreOptions {
  /** When set, the store is MongoDB at this URI. */
  mongodbUri?: string;
  /** Otherwise, the SQLite database file (its directory is created if missing). */
  sqliteFile: string;
}

/** Opens the store the configuration asks for: MongoDB if a URI is given, else SQLite. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.mongodbUri) return openMongoStore(options.mongodbUri);
  await mkdir(dirname(options.sqliteFile), { recursive: true });
  return openSqliteStore(options.sqliteFile);
}
