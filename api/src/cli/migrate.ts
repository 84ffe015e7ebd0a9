/**
 * `npm run migrate -- --from <mongodb uri> [--dry-run]`: copies a Flask database into the embedded
 * SQLite store (DATA_DIR): users with their Werkzeug hashes, locks without a secret (they need
 * re-provisioning), log entries as audit entries. Run it with the api stopped. docs/migrating-from-flask.md.
 */
import 'reflect-metadata';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../config/config.js';
import { applyMigration, describePlan, planMigration } from '../migrate/flask-migration.js';
import type { Store } from '../store/ports.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';

const USAGE = 'usage: npm run migrate -- --from <mongodb uri> [--dry-run]';

/** The URI without its password, for messages. */
function redacted(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

function parseArgs(argv: string[]): { from: string; dryRun: boolean } | null {
  let from: string | undefined;
  let dryRun = false;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--dry-run') dryRun = true;
    else if (argv[i] === '--from' && argv[i + 1] !== undefined) from = argv[(i += 1)];
    else return null;
  }
  return from ? { from, dryRun } : null;
}

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    process.stderr.write(`${USAGE}\n`);
    return 64;
  }
  const config = parseConfig(process.env);
  if (config.mongodbUri) {
    process.stderr.write('MONGODB_URI is set: the migration copies into the embedded SQLite store, unset it (docs/migrating-from-flask.md)\n');
    return 2;
  }
  const { openMongoStore } = await import('../store/mongo/mongo-store.js');
  let source: Store;
  try {
    // Its start-up warnings are not this run's business: the plan names case-variant users itself,
    // and an index of ours missing on the source does not matter to reading it once.
    source = await openMongoStore(args.from, { warnings: { warn: () => undefined } });
  } catch (error) {
    process.stderr.write(`migrate: cannot read the Flask database at ${redacted(args.from)}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const dbFile = join(config.dataDir, 'smartlock.db');
  // A dry run creates no file: with none yet, an empty in-memory store stands in for it.
  const dryRunOnEmpty = args.dryRun && !existsSync(dbFile);
  if (!dryRunOnEmpty) mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const target = openSqliteStore(dryRunOnEmpty ? ':memory:' : dbFile);
  try {
    const plan = await planMigration(source, target);
    if (plan.conflicts.length > 0) {
      process.stderr.write(describePlan(plan, true));
      process.stderr.write(`migrate: ${dbFile} already holds different data under these names: nothing was written\n`);
      return 1;
    }
    if (!args.dryRun) await applyMigration(plan, target);
    process.stdout.write(describePlan(plan, args.dryRun));
    return 0;
  } finally {
    await target.close();
    await source.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`migrate: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
