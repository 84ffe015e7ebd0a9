/** Operational endpoints and the self-hosted playground. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';
import { apiRoot } from '../app/paths.js';
import type { Services } from '../app/services.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

/** The installable app, built by `npm run build --workspace pwa`. */
export const PWA_DIR = join(apiRoot(), '..', 'pwa', 'dist');

const API_PATHS = /^\/(graphql|auth|playground|healthz|readyz|metrics|firmware)(\/|$)/;
const PWA_CSP = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the PWA at `/` from the same origin as the api (no CORS). The HTML
 * and the service worker are never cached by HTTP, so a deploy reaches users
 * through the app's update prompt; hashed assets are immutable. Unknown GET
 * paths get index.html (client-side routes). Without a build, `/` points to
 * the playground.
 */
export function mountPwa(app: Express): void {
  const index = join(PWA_DIR, 'index.html');
  if (!existsSync(index)) {
    app.get('/', (_req, res) => res.redirect('/playground/'));
    return;
  }
  const noCache = (path: string) => /(index\.html|sw\.js|registerSW\.js|manifest\.webmanifest)$/.test(path);
  app.use(
    express.static(PWA_DIR, {
      index: 'index.html',
      setHeaders(res, path) {
        res.setHeader('content-security-policy', PWA_CSP);
        res.setHeader('cache-control', noCache(path) ? 'no-cache' : path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
      },
    }),
  );
  app.get(/.*/, (req, res, next) => {
    if (API_PATHS.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('content-security-policy', PWA_CSP);
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
}

/** Built by `vite build --config playground/vite.config.ts` next to the compiled api. */
export const PLAYGROUND_DIR = join(apiRoot(), 'dist', 'playground');

export function mountOperationalRoutes(app: Express, services: Services, readiness: ReadinessCheck[]): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      readiness.map(async ({ name, check }) => {
        try {
          await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 2000).unref())]);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, `unavailable: ${(error as Error).message}`] as const;
        }
      }),
    );
    const ready = results.every(([, status]) => status === 'ok');
    // Overload is shown, not failed: a 503 would take a shedding api out of its load balancer
    // (with one replica, the whole service) while it is deliberately degrading (docs/architecture.md).
    const overload = services.overload?.status();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results), ...(overload ? { overload } : {}) });
  });

}

export function mountPlayground(app: Express): void {
  if (!existsSync(join(PLAYGROUND_DIR, 'index.html'))) {
    app.use('/playground', (_req, res) => {
      res.status(503).type('text').send('The playground is not built. Run `npm run build` (or `npm start`, which builds).');
    });
    return;
  }
  app.use('/playground', express.static(PLAYGROUND_DIR, { index: 'index.html', fallthrough: false, maxAge: '1h' }));
}
