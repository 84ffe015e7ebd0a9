/**
 * Issue 14 item 8, key custody, through the built api and CLI: a wrong SECRETS_KEYS stops the
 * start-up with a message naming it; with the new key first and the old one second the api runs;
 * `npm run admin -- rotate-secrets-key` re-seals; then the new key alone is enough and the lock,
 * which never changed its own secret, still logs in and unlocks.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { apiRoot } from '../src/app/paths.js';
import { gql, SIGN_IN, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, LOCK_QUERY, UNLOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { registerLock, startLock } from '../src/test-support/locks.js';
import { MAIN_JS, spawnProcess, spawnServer, type RunningServer } from '../src/test-support/server-process.js';
import { eventually } from '../src/test-support/subscriptions.js';

const run = promisify(execFile);
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('rotating SECRETS_KEYS', () => {
  it('refuses a start-up without the sealing key, re-seals under the new key, then runs on it alone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'smartlock-keys-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const oldKey = randomBytes(32).toString('hex');
    const newKey = randomBytes(32).toString('hex');
    const base = {
      HOST: '127.0.0.1',
      PORT: '0',
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: '0',
      MQTT_TLS_PORT: '0',
      SCRYPT_COST: '12',
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(32).toString('hex'),
      MQTT_TOPIC_PREFIX: `test-${randomUUID()}`,
      OVERLOAD_LAG_MS: '60000',
    };
    const start = async (keys: string): Promise<RunningServer> => {
      const server = await spawnServer({ ...base, SECRETS_KEYS: keys });
      cleanups.push(() => server.kill());
      return server;
    };
    const stop = async (server: RunningServer) => {
      server.child.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
    };

    let server = await start(oldKey);
    const owner = await signUp(server.httpUrl, 'owner');
    const lock = await registerLock(server, owner.accessToken);
    await stop(server);

    // The new key alone: the lock's secret was sealed with the old one.
    const refused = spawnProcess(MAIN_JS, { ...base, SECRETS_KEYS: newKey, LOG_LEVEL: 'info' });
    cleanups.push(() => refused.kill());
    expect((await refused.exited).code).toBe(78);
    expect(refused.lines.map((l) => l.msg).join('\n')).toMatch(/SECRETS_KEYS: 1 lock secret\(s\) cannot be opened with the configured keys \(lock-[0-9a-f]+\); the secret of lock-[0-9a-f]+ is sealed with key [0-9a-f]{16}, which is not in SECRETS_KEYS/);

    // New key first, old key second: it runs; the CLI re-seals.
    server = await start(`${newKey},${oldKey}`);
    await stop(server);
    const { NODE_ENV: _ignored, ...inherited } = process.env;
    const { stdout } = await run(process.execPath, [join(apiRoot(), 'dist', 'src', 'cli', 'admin.js'), 'rotate-secrets-key'], { env: { ...inherited, ...base, SECRETS_KEYS: `${newKey},${oldKey}` } });
    expect(stdout).toMatch(/: 1 lock secrets re-sealed, 0 already under it/);

    // The new key alone now: the lock (its own secret unchanged) logs in and unlocks.
    server = await start(newKey);
    const token = (await gql<{ signIn: AuthResult }>(server.httpUrl, SIGN_IN, { username: 'owner', password: 'correct horse battery' })).data!.signIn.accessToken;
    const sim = await startLock({ brokerUrl: server.brokerUrl, topics: { prefix: base.MQTT_TOPIC_PREFIX } }, lock);
    cleanups.push(() => sim.stop({ graceful: false }));
    await eventually(async () => (await gql<{ lock: { state: string } }>(server.httpUrl, LOCK_QUERY, { d: lock.deviceId }, token)).data?.lock.state === 'AVAILABLE');
    const id = (await gql<{ unlock: { id: string } }>(server.httpUrl, UNLOCK, { d: lock.deviceId }, token)).data!.unlock.id;
    await eventually(async () => (await gql<{ command: CommandView }>(server.httpUrl, COMMAND, { id }, token)).data?.command.state === 'SUCCEEDED');
  }, 90_000);
});
