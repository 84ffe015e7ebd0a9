/**
 * `npm run restore -- <backup file>`: puts a backup made by `npm run backup` (or BACKUP_CRON) in
 * place of DATA_DIR's database, with the api stopped, then ends every session and marks every lock
 * UNAVAILABLE until it reports again (backup/after-restore.ts).
 * `npm run restore -- --after-mongorestore`: the second half alone, for MongoDB after mongorestore.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { createLogger } from '../app/logger.js';
import { AuditService } from '../audit/audit.service.js';
import { invalidateAfterRestore } from '../backup/after-restore.js';
import { RestoreRefused, restoreDatabase } from '../backup/restore-database.js';
import { ConfigError, parseConfig } from '../config/config.js';
import { openStore } from '../store/open-store.js';

const USAGE = 'usage: npm run restore -- <backup file>   (SQLite; stop the api first)\n       npm run restore -- --after-mongorestore   (MongoDB, after mongorestore)';

async function run(argv: string[]): Promise<number> {
  const [arg] = argv;
  if (argv.length !== 1 || !arg) {
    process.stderr.write(`${USAGE}\n`);
    return 64;
  }
  const config = parseConfig(process.env);
  const dbFile = join(config.dataDir, 'smartlock.db');
  const now = new Date();
  if (arg === '--after-mongorestore') {
    if (!config.mongodbUri) {
      process.stderr.write('--after-mongorestore is for MongoDB: MONGODB_URI is not set\n');
      return 2;
    }
  } else {
    if (config.mongodbUri) {
      process.stderr.write('MONGODB_URI is set: restore MongoDB with mongorestore, then run `npm run restore -- --after-mongorestore` (docs/operations.md)\n');
      return 2;
    }
    const movedAside = restoreDatabase(arg, dbFile, now);
    for (const file of movedAside) process.stdout.write(`previous file kept as ${file}\n`);
  }
  const store = await openStore({ mongodbUri: config.mongodbUri, sqliteFile: dbFile });
  try {
    const summary = await invalidateAfterRestore(store, new AuditService(store.audit, createLogger('warn')), now, arg === '--after-mongorestore' ? 'mongorestore' : arg);
    process.stdout.write(
      `restored: ${summary.users} users must sign in again, ${summary.locks} locks are unavailable until they report, ${summary.commands} commands in flight ended TIMED_OUT\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof RestoreRefused;
    process.stderr.write(`restore: ${known ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
