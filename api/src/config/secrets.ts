/**
 * Development convenience: when JWT_SECRET / SECRETS_KEYS are unset (never in
 * production, see config.ts) a random value is generated once and kept in
 * DATA_DIR with 0600 permissions, so tokens and sealed device secrets survive
 * restarts. A warning says so, because such a secret lives beside the data.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';
import { generateVapidKeys, vapidKeyProblem, type VapidKeys } from './vapid-keys.js';

export interface ResolvedSecrets {
  jwtSecret: string;
  /** 32-byte keys for AES-256-GCM sealing of device secrets: the first seals, every one opens. */
  secretsKeys: Buffer[];
  /** Web Push's VAPID key pair (RFC 8292). */
  vapid: VapidKeys;
}

interface Warn {
  warn(obj: object, msg: string): void;
}

function persistedSecret(dataDir: string, fileName: string, variable: string, log: Warn, generate: () => string = () => randomBytes(32).toString('hex')): string {
  const file = join(dataDir, fileName);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails if the file exists, so two processes starting at once cannot both write.
    writeFileSync(file, generate(), { flag: 'wx', mode: 0o600 });
    log.warn({ file, variable }, `${variable} is not set: generated a development secret and stored it in ${file}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    log.warn({ file, variable }, `${variable} is not set: using the development secret stored in ${file}`);
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}

export function resolveSecrets(config: Config, log: Warn): ResolvedSecrets {
  const jwtSecret = config.jwtSecret ?? persistedSecret(config.dataDir, 'jwt-secret', 'JWT_SECRET', log);
  const secretsKeys = config.secretsKeys ?? [persistedSecret(config.dataDir, 'secrets-key', 'SECRETS_KEYS', log)];
  return { jwtSecret, secretsKeys: secretsKeys.map((hex) => Buffer.from(hex, 'hex')), vapid: resolveVapidKeys(config, log) };
}

/** Both keys configured (required in production), or a development pair kept as `public.private` in DATA_DIR/vapid-keys. */
function resolveVapidKeys(config: Config, log: Warn): VapidKeys {
  const { vapidPublicKey, vapidPrivateKey } = config.push;
  if (vapidPublicKey && vapidPrivateKey) return { publicKey: vapidPublicKey, privateKey: vapidPrivateKey };
  const stored = persistedSecret(config.dataDir, 'vapid-keys', 'VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY', log, () => {
    const keys = generateVapidKeys();
    return `${keys.publicKey}.${keys.privateKey}`;
  });
  const [publicKey = '', privateKey = ''] = stored.split('.');
  const problem = vapidKeyProblem(publicKey, privateKey);
  // A damaged file is not silently replaced: browsers hold subscriptions made with the old public key.
  if (problem) throw new Error(`${join(config.dataDir, 'vapid-keys')} does not hold a VAPID key pair (${problem}); delete it to generate a new one (browsers then subscribe again)`);
  return { publicKey, privateKey };
}
