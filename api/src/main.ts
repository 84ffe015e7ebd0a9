import 'reflect-metadata';
import { startApp, type RunningApp } from './app/app.js';
import { chooseLogFormat, createLogger } from './app/logger.js';
import { exitOnSignals } from './app/shutdown.js';
import { ConfigError, parseConfig } from './config/config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const log = createLogger(config.logLevel, chooseLogFormat(config.logFormat, config.env, process.stdout.isTTY === true));
  // Installed before start-up begins (its first steps, such as opening SQLite, run synchronously):
  // a signal meanwhile waits for start-up and then stops what started, rather than killing the
  // process with the store open.
  const startup: { app?: Promise<RunningApp> } = {};
  exitOnSignals({ stop: async () => (await startup.app)?.stop(), timeoutMs: config.shutdownTimeoutMs, log });
  startup.app = startApp(config, log);
  await startup.app;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // a setting found wrong during start-up (SECRETS_KEYS against the store)
  }
  process.stderr.write(`Smartlock api failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
