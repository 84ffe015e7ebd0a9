/**
 * `npm run demo`: the whole system on embedded defaults with a demo user and
 * three simulated locks, so the app and the playground have something to show.
 * Lock secrets are kept in DATA_DIR/demo-locks.json (0600) between runs; a
 * lock whose secret was lost gets a new one by rotation.
 */
import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApp } from '../app/app.js';
import { chooseLogFormat, createLogger } from '../app/logger.js';
import { exitOnSignals } from '../app/shutdown.js';
import { ConfigError, parseConfig } from '../config/config.js';
import { startFleet, type DeviceCredentials } from '../simulator/fleet.js';

const DEMO_USER = 'demo';
const DEMO_PASSWORD = 'demo walrus plays the banjo';
const DEMO_LOCKS = [
  { deviceId: 'demo-front-door', name: 'Front door' },
  { deviceId: 'demo-garage', name: 'Garage' },
  { deviceId: 'demo-shed', name: 'Garden shed' },
];

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, chooseLogFormat(config.logFormat, config.env, process.stdout.isTTY === true));
  const app = await startApp(config, log);
  const { services } = app;

  let user = await services.store.users.findByUsername(DEMO_USER);
  if (!user) {
    await services.auth.signUp(DEMO_USER, DEMO_PASSWORD, 'demo');
    user = await services.store.users.findByUsername(DEMO_USER);
  }
  if (!user) throw new Error('could not create the demo user');

  const file = join(config.dataDir, 'demo-locks.json');
  const known = new Map<string, string>(
    existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DeviceCredentials[]).map((d) => [d.deviceId, d.deviceSecret]) : [],
  );
  const devices: DeviceCredentials[] = [];
  for (const { deviceId, name } of DEMO_LOCKS) {
    const existing = await services.store.locks.findByDeviceId(deviceId);
    const secret = known.get(deviceId);
    if (existing && secret) {
      devices.push({ deviceId, deviceSecret: secret });
      continue;
    }
    const registration = existing ? await services.locks.rotateSecret(user, deviceId) : await services.locks.register(user, deviceId, name);
    devices.push({ deviceId, deviceSecret: registration.deviceSecret });
  }
  writeFileSync(file, JSON.stringify(devices, null, 2), { mode: 0o600 });

  const fleet = await startFleet({
    brokerUrl: app.brokerUrl,
    topicPrefix: app.topics.prefix,
    devices,
    stateDir: join(config.dataDir, 'demo-state'),
  });
  say('');
  say(`Smartlock demo is running: ${app.url}/playground/`);
  say(`  App: ${app.url}/`);
  say(`  MQTT broker for locks: ${app.brokerUrl}`);
  say(`  Sign in as "${DEMO_USER}" with password "${DEMO_PASSWORD}" (signIn mutation in the playground).`);
  say(`  Simulated locks online: ${fleet.locks.map((l) => l.deviceId).join(', ')}`);
  say(`  Try: mutation { unlock(deviceId: "demo-front-door") { id state } }`);
  say('  Ctrl+C stops everything.');

  const stop = async () => {
    await fleet.stop({ graceful: true });
    await app.stop();
  };
  exitOnSignals({ stop, timeoutMs: config.shutdownTimeoutMs, log });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `demo failed: ${String(error)}`}\n`);
  process.exit(1);
});
