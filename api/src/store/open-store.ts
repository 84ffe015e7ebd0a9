import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StoreObserver } from './guarded-store.js';
import type { StartupWarnings } from './mongo/mongo-indexes.js';
import type { Store } from './ports.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

export interface OpenStoreOptions {
  /** When set, the store is MongoDB at this URI. */
  mongodbUri?: string;
  /** Otherwise, the SQLite database file (its directory is created if missing). */
  sqliteFile: string;
  /** Told how each write ends (readiness and the write-failure metric). */
  observer?: StoreObserver;
  /** Where the store reports what it works around: a MongoDB seed database's conflicts, a failed SQLite checkpoint worker (the api's logger). */
  warnings?: StartupWarnings;
}

/** Opens the store the configuration asks for: MongoDB if a URI is given, else SQLite. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.mongodbUri) {
    // Loaded only when used: mongoose and typegoose cost a noticeable part of every SQLite boot.
    const { openMongoStore } = await import('./mongo/mongo-store.js');
    return openMongoStore(options.mongodbUri, { observer: options.observer, warnings: options.warnings });
  }
  // 0700 when the api creates it (an existing directory keeps the mode its owner chose).
  await mkdir(dirname(options.sqliteFile), { recursive: true, mode: 0o700 });
  const { warnings } = options;
  return openSqliteStore(options.sqliteFile, {
    observer: options.observer,
    checkpoints: {
      onFailure: (error) => warnings?.warn({ error: error.message }, 'SQLite checkpoint worker failed: commits run the WAL checkpoints again'),
      onCheckpointError: (error) => warnings?.warn({ error: error.message }, 'SQLite WAL checkpoint failed: tried again every second, the WAL keeps every commit meanwhile'),
    },
  });
}
