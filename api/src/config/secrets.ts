/**
 * Development convenience: when JWT_SECRET / SECRETS_KEY are unset (never in
 * production, see config.ts) a random value is generated once and kept in
 * DATA_DIR with 0600 permissions, so tokens and sealed device secrets survive
 * restarts. A warning says so, because such a secret lives beside the data.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';

export interface ResolvedSecrets {
  jwtSecret: string;
  /** 32-byte key for AES-256-GCM sealing of device secrets. */
  secretsKey: Buffer;
}

interface Warn {
  warn(obj: object, msg: string): void;
}

function persistedSecret(dataDir: string, fileName: string, variable: string, log: Warn): string {
  const file = join(dataDir, fileName);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails if the file exists, so two processes starting at once cannot both write.
    writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
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
  const secretsKeyHex = config.secretsKey ?? persistedSecret(config.dataDir, 'secrets-key', 'SECRETS_KEY', log);
  return { jwtSecret, secretsKey: Buffer.from(secretsKeyHex, 'hex') };
}
