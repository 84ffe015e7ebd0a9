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
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
  });
}

export function mountPlayground(app: Express): void {
  app.get('/', (_req, res) => res.redirect('/playground/'));
  if (!existsSync(join(PLAYGROUND_DIR, 'index.html'))) {
    app.use('/playground', (_req, res) => {
      res.status(503).type('text').send('The playground is not built. Run `npm run build` (or `npm start`, which builds).');
    });
    return;
  }
  app.use('/playground', express.static(PLAYGROUND_DIR, { index: 'index.html', fallthrough: false, maxAge: '1h' }));
}
