/**
 * Where a test acts and where it watches: one api, or two replicas over one SQLite file and Redis
 * (each with its own embedded broker), acting on A and watching on B, so that what must reach open
 * sockets has to travel on the Redis event bus.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Env } from '../config/config.js';
import { reachable } from './reachable.js';
import { startTestApp, type TestApp } from './test-app.js';

export interface Topology {
  /** Where mutations are sent and locks connect. */
  acting: TestApp;
  /** Where the sockets under test are opened. */
  watching: TestApp;
  close(): Promise<void>;
}

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function oneApi(env: Env = {}): Promise<Topology> {
  const app = await startTestApp(env);
  return { acting: app, watching: app, close: () => app.close() };
}

/** Null (the test skips) when Redis is unreachable outside CI. */
export async function twoReplicas(env: Env = {}): Promise<Topology | null> {
  if (!(await reachable(REDIS_URL))) {
    if (process.env.CI === 'true') throw new Error(`CI needs Redis at ${REDIS_URL}`);
    return null;
  }
  const prefix = `test-${randomUUID()}`;
  const shared = { ...env, REDIS_URL, REDIS_KEY_PREFIX: `${prefix}:` };
  const a = await startTestApp(shared);
  const b = await startTestApp({ ...shared, DATA_DIR: a.dataDir });
  return {
    acting: a,
    watching: b,
    async close() {
      await b.stop();
      await a.close();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}
