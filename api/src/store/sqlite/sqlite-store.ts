import Database from 'better-sqlite3';
import { guardStore, type StoreObserver } from '../guarded-store.js';
import type { Store } from '../ports.js';
import { migrate } from './migrations.js';
import { registerNameFolding } from './name-folding.js';
import { buildRowsInJavaScript } from './rows-built-in-javascript.js';
import { makeDatabaseFilesPrivate } from './private-database-file.js';
import { createSqliteAudit } from './sqlite-audit.js';
import { createSqliteClaims } from './sqlite-claims.js';
import { createSqliteCommands } from './sqlite-commands.js';
import { createSqliteDiagnostics } from './sqlite-diagnostics.js';
import { createSqliteFirmware } from './sqlite-firmware.js';
import { isSqliteStorageFailure } from './sqlite-errors.js';
import { isInMemory } from './sqlite-helpers.js';
import { createSqliteLocks } from './sqlite-locks.js';
import { createSqliteLockTransfers } from './sqlite-lock-transfers.js';
import { createSqliteOfflineKeys } from './sqlite-offline-keys.js';
import { createSqliteLockShares } from './sqlite-lock-shares.js';
import { createSqliteLockSettings } from './sqlite-lock-settings.js';
import { createSqlitePush } from './sqlite-push.js';
import { createSqliteSessions } from './sqlite-sessions.js';
import { createSqliteTotp } from './sqlite-totp.js';
import { createSqliteEmails, createSqliteRecoveryTokens } from './sqlite-recovery.js';
import { createSqlitePasskeys } from './sqlite-passkeys.js';
import { createSqliteUsers } from './sqlite-users.js';
import { createTurnBatch } from './turn-batch.js';
import { startWalCheckpointer, type CheckpointerOptions } from './wal-checkpointer.js';

/** How long a writer waits for another process's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

export interface SqliteStoreOptions {
  /** Told how each write ends (readiness and the write-failure metric). */
  observer?: StoreObserver | undefined;
  /** The WAL checkpoint worker's timings and listeners (wal-checkpointer.ts). */
  checkpoints?: CheckpointerOptions;
}

/** The api connection's settings, on every open (SQLite keeps them per connection). */
export function configureConnection(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // Off by default in SQLite, so it is set on every open.
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Safe with WAL (a crash may lose the last commits, never corrupt) and much faster than FULL.
  db.pragma('synchronous = NORMAL');
  // A commit never runs the checkpoint: the checkpoint worker does (wal-checkpointer.ts).
  db.pragma('wal_autocheckpoint = 0');
}

/**
 * Opens (creating if needed) the SQLite database at `file` and migrates it.
 * Several api processes may share the file: WAL lets readers run beside the
 * one writer, and every multi-step write is a single statement or transaction.
 * Storage failures (disk full, I/O errors…) surface as StorageFailureError.
 */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Store {
  makeDatabaseFilesPrivate(file);
  const db = new Database(file);
  buildRowsInJavaScript(db);
  try {
    configureConnection(db);
    registerNameFolding(db);
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const checkpointer = isInMemory(file) ? undefined : startWalCheckpointer(db, file, options.checkpoints);
  const ping = db.prepare('SELECT 1');
  // Rewrites the header's user_version with its own value: a real commit (a WAL
  // frame) that needs no table of its own. IMMEDIATE holds the write lock from
  // the read to the write, so it cannot undo another process's migration.
  const probeWrite = db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    db.pragma(`user_version = ${version}`);
  });

  const writes = createTurnBatch(db);
  const store: Store = {
    kind: 'sqlite',
    users: createSqliteUsers(db),
    sessions: createSqliteSessions(db),
    totp: createSqliteTotp(db),
    recoveryTokens: createSqliteRecoveryTokens(db),
    emails: createSqliteEmails(db),
    passkeys: createSqlitePasskeys(db),
    locks: createSqliteLocks(db, writes),
    commands: createSqliteCommands(db),
    audit: createSqliteAudit(db, writes),
    lockSettings: createSqliteLockSettings(db),
    diagnostics: createSqliteDiagnostics(db),
    push: createSqlitePush(db),
    firmware: createSqliteFirmware(db),
    claims: createSqliteClaims(db),
    lockTransfers: createSqliteLockTransfers(db),
    lockShares: createSqliteLockShares(db),
    offlineKeys: createSqliteOfflineKeys(db),
    async ping() {
      ping.get();
    },
    async probeWrite() {
      probeWrite.immediate();
    },
    async close() {
      writes.flush(); // writes still waiting for the turn's end
      await checkpointer?.stop();
      if (db.open) db.close(); // the last connection to close checkpoints what is left
    },
  };
  return guardStore(store, { isStorageFailure: isSqliteStorageFailure, observer: options.observer });
}
