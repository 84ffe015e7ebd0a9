/** Real api instances for tests: a temp data dir, a random port, quiet logs. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type RunningApp } from '../app/app.js';
import { createLogger } from '../app/logger.js';
import { parseConfig, type Env } from '../config/config.js';

export interface TestApp extends RunningApp {
  dataDir: string;
  httpUrl: string;
  wsUrl: string;
  close(): Promise<void>;
}

export async function startTestApp(env: Env = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'smartlock-test-'));
  const config = parseConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    SCRYPT_COST: '12',
    // Test files sign many users up from 127.0.0.1; the sign-up throttle has its own tests.
    SIGNUP_ADDRESS_MAX_ATTEMPTS: '1000',
    // Tests wait for heartbeats to be accepted; on a busy CI machine the lag detector would shed
    // some of them as overload. Overload has its own tests, which set their own threshold.
    OVERLOAD_LAG_MS: '60000',
    // An embedded broker on a random port: Mosquitto already holds 1883 on the test machine.
    MQTT_PORT: '0',
    MQTT_TLS_PORT: '0',
    MQTT_HOST: '127.0.0.1',
    MQTT_TOPIC_PREFIX: `test-${randomUUID()}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const app = await startApp(config, createLogger(config.logLevel));
  const base = `127.0.0.1:${app.port}`;
  return {
    ...app,
    dataDir,
    httpUrl: `http://${base}/graphql`,
    wsUrl: `ws://${base}/graphql`,
    async close() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
