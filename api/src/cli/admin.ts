/**
 * `npm run admin -- promote <username>` | `demote <username>` | `list` | `rotate-secrets-key` |
 * `firmware-add <image> <manifest-file>` (the file `npm run firmware -- sign` wrote) |
 * `recovery-link <username> [--reset-second-factor]` (a one-time link to set a new password).
 * Works on the same store and DATA_DIR the api uses (same environment), and is audited.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { AuditService } from '../audit/audit.service.js';
import { createLogger, type Logger } from '../app/logger.js';
import { ConfigError, parseConfig, type Config } from '../config/config.js';
import { resolveSecrets } from '../config/secrets.js';
import { DeviceKeys } from '../devices/device-keys.js';
import { resealTotpSecrets } from '../auth/reseal-totp.js';
import { resealSecrets } from '../devices/reseal-secrets.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/ports.js';
import { addReleaseFromFiles } from './firmware-add.js';
import { issueAdminRecoveryLink } from '../auth/recovery/issue-link.js';
import { appOrigin } from '../auth/recovery/recovery-links.js';

const USAGE = 'usage: npm run admin -- promote <username> | demote <username> | list | rotate-secrets-key | firmware-add <image> <manifest-file> | recovery-link <username> [--reset-second-factor]';

async function run(argv: string[]): Promise<number> {
  const [command, rawUsername] = argv;
  const config = parseConfig(process.env);
  const log = createLogger('warn');
  const store = await openStore({ mongodbUri: config.mongodbUri, sqliteFile: join(config.dataDir, 'smartlock.db') });
  try {
    if (command === 'rotate-secrets-key') return await rotateSecretsKey(store, config, log);
    if (command === 'firmware-add') return await addReleaseFromFiles({ config, store, log, args: argv.slice(1), usage: USAGE });
    if (command === 'recovery-link') return await recoveryLink(store, config, log, argv.slice(1));
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

/** Prints a one-time recovery link for a user who lost their password (docs/operations.md, "Account recovery"). */
async function recoveryLink(store: Store, config: Config, log: Logger, args: string[]): Promise<number> {
  const flags = args.filter((a) => a.startsWith('--'));
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = flags.filter((f) => f !== '--reset-second-factor');
  if (names.length !== 1 || unknown.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 64;
  }
  const resetSecondFactor = flags.includes('--reset-second-factor');
  // Who ran the command, for the audit trail: the account behind sudo if any.
  const issuedBy = process.env.SUDO_USER || userInfo().username;
  const link = await issueAdminRecoveryLink({ store, audit: new AuditService(store.audit, log), appOrigin: appOrigin(config) }, names[0]!, { resetSecondFactor, issuedBy });
  if (!link) {
    process.stderr.write(`no user "${names[0]!.trim().toLowerCase()}"\n`);
    return 1;
  }
  process.stdout.write(`${link.url}\n`);
  process.stdout.write(`valid for ${link.validFor} (until ${link.expiresAt.toISOString()}), once; it replaces any older link of this user.\n`);
  process.stdout.write(
    resetSecondFactor
      ? 'Opening it removes the authenticator app too: hand it over only once you are sure who you are talking to.\n'
      : 'The authenticator app (if any) stays on: sign-in still asks for its code or a recovery code.\n',
  );
  return 0;
}

/** Re-seals every device secret under the first of SECRETS_KEYS (docs/operations.md, "Key custody"). */
async function rotateSecretsKey(store: Store, config: Config, log: Logger): Promise<number> {
  const keys = new DeviceKeys(resolveSecrets(config, log).secretsKeys);
  const summary = await resealSecrets(store, keys);
  const totp = await resealTotpSecrets(store, keys);
  await new AuditService(store.audit, log).record({
    actor: null,
    action: 'store.secretsKeyRotated',
    deviceId: null,
    result: summary.contended.length === 0 && totp.changed.length === 0 ? 'ok' : 'partial',
    detail: `key ${keys.sealingKeyId}: ${summary.resealed} re-sealed, ${summary.alreadyCurrent} already under it${summary.contended.length ? `, ${summary.contended.length} changing meanwhile` : ''}; authenticator secrets: ${totp.resealed} re-sealed, ${totp.alreadyCurrent} already under it`,
  });
  process.stdout.write(`sealing key ${keys.sealingKeyId}: ${summary.resealed} lock secrets re-sealed, ${summary.alreadyCurrent} already under it\n`);
  process.stdout.write(`authenticator app secrets: ${totp.resealed} re-sealed, ${totp.alreadyCurrent} already under it\n`);
  if (summary.contended.length > 0 || totp.changed.length > 0) {
    if (summary.contended.length > 0) {
      process.stderr.write(`not re-sealed (their secrets kept changing, or an over-the-air rotation is under way; run it again later): ${summary.contended.join(', ')}\n`);
    }
    if (totp.changed.length > 0) process.stderr.write(`authenticator secrets not re-sealed (changed meanwhile; run it again): ${totp.changed.length}\n`);
    return 1;
  }
  process.stdout.write('every lock secret is under the first key of SECRETS_KEYS: the others can be removed once every api runs with this list\n');
  return 0;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
