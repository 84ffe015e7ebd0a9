import 'reflect-metadata';
import { startApp } from './app/app.js';
import { createLogger } from './app/logger.js';
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
  const log = createLogger(config.logLevel);
  const starting = startApp(config, log);
  // Installed before start-up finishes: a signal meanwhile waits for it and then
  // stops what started, rather than killing the process with the store open.
  exitOnSignals({ stop: async () => (await starting).stop(), timeoutMs: config.shutdownTimeoutMs, log });
  await starting;
}

main().catch((error: unknown) => {
  process.stderr.write(`Smartlock api failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
