/**
 * `npm run admin -- promote <username>` | `demote <username>` | `list` |
 * `firmware-add <image> <manifest-file>` (the file `npm run firmware -- sign` wrote).
 * Works on the same store and DATA_DIR the api uses (same environment), and is audited.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { AuditService } from '../audit/audit.service.js';
import { createLogger } from '../app/logger.js';
import { ConfigError, parseConfig } from '../config/config.js';
import { openStore } from '../store/open-store.js';
import { addReleaseFromFiles } from './firmware-add.js';

const USAGE = 'usage: npm run admin -- promote <username> | demote <username> | list | firmware-add <image> <manifest-file>';

async function run(argv: string[]): Promise<number> {
  const [command, rawUsername] = argv;
  const config = parseConfig(process.env);
  const log = createLogger('warn');
  const store = await openStore({ mongodbUri: config.mongodbUri, sqliteFile: join(config.dataDir, 'smartlock.db') });
  try {
    if (command === 'firmware-add') return await addReleaseFromFiles({ config, store, log, args: argv.slice(1), usage: USAGE });
    if (command === 'list') {
      for (const user of await store.users.list()) process.stdout.write(`${user.role.padEnd(5)} ${user.username}\n`);
      return 0;
    }
    if ((command !== 'promote' && command !== 'demote') || !rawUsername) {
      process.stderr.write(`${USAGE}\n`);
      return 64;
    }
    const username = rawUsername.trim().toLowerCase();
    const role = command === 'promote' ? 'ADMIN' : 'USER';
    const before = await store.users.findByUsername(username);
    if (!before) {
      process.stderr.write(`no user "${username}": they must sign up first\n`);
      return 1;
    }
    await store.users.setRole(username, role);
    await new AuditService(store.audit, log).record({
      actor: null,
      action: 'user.setRole',
      deviceId: null,
      result: 'ok',
      detail: `${username}: ${before.role} → ${role} (cli)`,
    });
    process.stdout.write(`${username} is now ${role}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
