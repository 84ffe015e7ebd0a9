/**
 * Composition root: config in, a running api out. Opens the store and optional
 * Redis, builds the services, bootstraps the admin and serves HTTP/WebSocket.
 */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import { resolveSecrets } from '../config/secrets.js';
import { buildAppSchema } from '../graphql/schema.js';
import { createHttpServer } from '../http/server.js';
import type { ReadinessCheck } from '../http/routes.js';
import { openStore } from '../store/open-store.js';
import { Lifecycle } from './lifecycle.js';
import type { Logger } from './logger.js';
import { createServices, type Services } from './services.js';

export interface RunningApp {
  url: string;
  port: number;
  services: Services;
  stop(): Promise<void>;
}

export async function startApp(config: Config, log: Logger): Promise<RunningApp> {
  const lifecycle = new Lifecycle(log);
  try {
    const secrets = resolveSecrets(config, log);
    const store = await openStore({ mongodbUri: config.mongodbUri, sqliteFile: join(config.dataDir, 'smartlock.db') });
    lifecycle.add('store', () => store.close());
    const readiness: ReadinessCheck[] = [{ name: 'store', check: () => store.ping() }];

    let redis: Redis | undefined;
    if (config.redis) {
      // Fail fast rather than queue: a sign-in should error, not hang, while Redis is away.
      redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
      redis.on('error', (error: Error) => log.warn({ err: error.message }, 'redis connection error'));
      await redis.connect();
      const client = redis;
      lifecycle.add('redis', async () => void (await client.quit()));
      readiness.push({ name: 'redis', check: async () => void (await client.ping()) });
    }

    const services = createServices({ config, secrets, store, log, redis });
    lifecycle.add('throttle', () => services.throttle.close());
    if (config.auth.bootstrapAdmin) {
      const { username, password } = config.auth.bootstrapAdmin;
      const outcome = await services.users.ensureAdmin(username, password, services.hasher);
      log.info({ username, outcome }, 'bootstrap admin checked');
    }

    const http = await createHttpServer(config, services, await buildAppSchema(), log, readiness);
    const port = await http.listen();
    lifecycle.add('http', () => http.stop());
    const shownHost = config.http.host === '0.0.0.0' || config.http.host === '::' ? 'localhost' : config.http.host;
    const url = `http://${shownHost}:${port}`;
    log.info({ url, playground: `${url}/playground`, store: store.kind, redis: Boolean(redis) }, `Smartlock api listening on ${url}`);
    return { url, port, services, stop: () => lifecycle.stopAll() };
  } catch (error) {
    await lifecycle.stopAll();
    throw error;
  }
}
