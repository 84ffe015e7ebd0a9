/**
 * `/metrics` for Prometheus. The numbers (users, locks, sign-in failures,
 * dropped messages) tell an outsider how the service is used and attacked,
 * so they are served with a bearer token, on a listener of their own, or,
 * outside production with neither configured, openly on the app port.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request, type RequestHandler } from 'express';
import type { Logger } from '../app/logger.js';
import type { Config } from '../config/config.js';
import type { Metrics } from '../observability/metrics.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Constant time whatever the length: both sides are hashed to 32 bytes first. */
function hasBearer(req: Request, token: string): boolean {
  const header = req.get('authorization') ?? '';
  const match = /^Bearer ([^\s]+)$/.exec(header);
  return match !== null && timingSafeEqual(digest(match[1] ?? ''), digest(token));
}

function metricsHandler(metrics: Metrics, token: string | undefined): RequestHandler {
  return async (req, res) => {
    if (token !== undefined && !hasBearer(req, token)) {
      res.status(401).setHeader('www-authenticate', 'Bearer realm="metrics"').type('text').send('Unauthorized');
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}

/** On the app port: with the token, openly outside production, or not at all (404). */
export function mountMetrics(app: Express, config: Config, metrics: Metrics): void {
  const { token, openOnAppPort } = config.metrics;
  if (token !== undefined) app.get('/metrics', metricsHandler(metrics, token));
  else if (openOnAppPort) app.get('/metrics', metricsHandler(metrics, undefined));
  else app.get('/metrics', (_req, res) => void res.status(404).type('text').send('Not found'));
}

export interface MetricsServer {
  port: number;
  stop(): Promise<void>;
}

/** METRICS_PORT: a listener that serves /metrics only (the token too, if one is set). */
export async function startMetricsServer(config: Config, metrics: Metrics, log: Logger): Promise<MetricsServer | undefined> {
  const { port, host, token } = config.metrics;
  if (port === undefined) return undefined;
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(metrics, token));
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  log.info({ host, port: bound, token: token !== undefined }, 'metrics listening');
  return {
    port: bound,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
