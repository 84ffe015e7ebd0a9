/**
 * Issue 9 item 10: `/metrics` was public on the app port, telling anyone the number of users and
 * locks, sign-in failures and dropped messages. In production it is now served only with
 * METRICS_TOKEN (a bearer token) or on METRICS_PORT (its own listener, localhost by default);
 * with neither it is not served at all.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateVapidKeys } from '../../src/config/vapid-keys.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const TOKEN = randomBytes(32).toString('hex');
const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: randomBytes(32).toString('hex'),
  SECRETS_KEY: randomBytes(32).toString('hex'),
  SCRYPT_COST: '17',
  // Production may come to require it (issue 9 item 11); it changes nothing here.
  ALLOWED_ORIGINS: 'https://locks.example',
  ...vapidEnv(),
};

function vapidEnv(): Record<string, string> {
  const keys = generateVapidKeys();
  return { VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey, VAPID_SUBJECT: 'mailto:ops@locks.example' };
}

async function withApp(env: Record<string, string>, body: (app: TestApp) => Promise<void>): Promise<void> {
  const app = await startTestApp(env);
  try {
    await body(app);
  } finally {
    await app.close();
  }
}

const metricsAt = (base: string, headers: Record<string, string> = {}) => fetch(`${base}/metrics`, { headers });
const appBase = (app: TestApp) => `http://127.0.0.1:${app.port}`;

describe('/metrics is not public', () => {
  it('is not served on the app port in production without METRICS_TOKEN or METRICS_PORT', async () => {
    await withApp(PRODUCTION, async (app) => {
      const response = await metricsAt(appBase(app));
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('smartlock_');
    });
  });

  it('asks for the METRICS_TOKEN bearer: none or a wrong one gets 401, the right one the metrics', async () => {
    await withApp({ ...PRODUCTION, METRICS_TOKEN: TOKEN }, async (app) => {
      const anonymous = await metricsAt(appBase(app));
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await anonymous.text()).not.toContain('smartlock_');
      // The last character changed (to one it is not: a fixed '0' equals the token one time in 16).
      const lastChanged = `${TOKEN.slice(0, -1)}${TOKEN.endsWith('0') ? '1' : '0'}`;
      for (const authorization of [`Bearer ${lastChanged}`, `Bearer ${TOKEN}x`, TOKEN, `Basic ${TOKEN}`, 'Bearer ']) {
        expect([authorization, (await metricsAt(appBase(app), { authorization })).status]).toEqual([authorization, 401]);
      }
      const scraped = await metricsAt(appBase(app), { authorization: `Bearer ${TOKEN}` });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('smartlock_graphql_operations_total');
    });
  });

  it('serves METRICS_PORT on localhost, and nothing else there; the app port then has no /metrics', async () => {
    await withApp({ ...PRODUCTION, METRICS_PORT: '0' }, async (app) => {
      expect(app.metricsPort).toEqual(expect.any(Number));
      const base = `http://127.0.0.1:${app.metricsPort}`;
      const scraped = await metricsAt(base);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('smartlock_');
      expect((await fetch(`${base}/graphql`, { method: 'POST' })).status).toBe(404);
      expect((await fetch(`${base}/healthz`)).status).toBe(404);
      expect((await metricsAt(appBase(app))).status).toBe(404);
    });
  });

  it('with both, asks for the token on the metrics port too', async () => {
    await withApp({ ...PRODUCTION, METRICS_PORT: '0', METRICS_TOKEN: TOKEN }, async (app) => {
      const base = `http://127.0.0.1:${app.metricsPort}`;
      expect((await metricsAt(base)).status).toBe(401);
      expect((await metricsAt(base, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    });
  });

  it('stays open on the app port outside production when neither is set (development convenience)', async () => {
    await withApp({}, async (app) => {
      expect((await metricsAt(appBase(app))).status).toBe(200);
    });
  });
});
