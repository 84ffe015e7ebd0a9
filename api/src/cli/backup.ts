/**
 * `npm run backup`: a consistent copy of the SQLite database while the api runs (SQLite's online
 * backup API), into BACKUP_DIR (default DATA_DIR/backups), keeping the newest BACKUP_KEEP. Prints the
 * file's path. The keys (SECRETS_KEY, JWT_SECRET) are not in it: docs/operations.md.
 */
import { join } from 'node:path';
import { backupDatabase } from '../backup/sqlite-backup.js';
import { ConfigError, parseConfig } from '../config/config.js';

async function run(): Promise<number> {
  const config = parseConfig(process.env);
  if (config.mongodbUri) {
    process.stderr.write('MONGODB_URI is set: back MongoDB up with mongodump (docs/operations.md, "Backups")\n');
    return 2;
  }
  const file = await backupDatabase(join(config.dataDir, 'smartlock.db'), config.backup.dir, { keep: config.backup.keep });
  process.stdout.write(`${file}\n`);
  return 0;
}

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`backup: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
