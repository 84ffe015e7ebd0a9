/**
 * One port serves everything: POST /graphql (Apollo), WebSocket /graphql
 * (graphql-ws), WebSocket /mqtt (MQTT_WEBSOCKETS, relayed to the broker), the
 * playground, and the operational endpoints (/metrics may have a port of its
 * own, see metrics-endpoint.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { GraphQLContext } from '../app/context.js';
import { createLoaders } from '../graphql/batch-loader.js';
import { childOnFirstUse, type Logger } from '../app/logger.js';
import type { Services } from '../app/services.js';
import type { Config } from '../config/config.js';
import { createApollo } from './apollo.js';
import { boundedUserAgent } from '../auth/device-name.js';
import { clientAddressOf } from './client-address.js';
import { createOperationGate } from '../graphql/operation-gate.js';
import { gateOperations } from './operation-gate-middleware.js';
import { refuseUnlistedOrigins } from './origin.js';
import { mountFirmwareImages } from './firmware-images-route.js';
import { mountMetrics } from './metrics-endpoint.js';
import { mountOperationalRoutes, mountPlayground, mountPwa, type ReadinessCheck } from './routes.js';
import { isSameSiteRequest, mountSessionRoutes, REFRESH_COOKIE_HEADER, refreshCookie } from './session-cookie.js';
import { createMqttWebSocket, MQTT_WEBSOCKET_PATH } from './mqtt-websocket.js';
import { createGraphqlWebSocket } from './websocket.js';
import type { OperationWatch } from './operation-watch.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Express reads X-Forwarded-Proto/-Host only with `trust proxy`; a Host that does not parse gives none. */
function originOf(req: Request): string | undefined {
  if (!req.host) return undefined;
  const candidate = `${req.protocol}://${req.host}`;
  return URL.canParse(candidate) ? new URL(candidate).origin : undefined;
}

export interface HttpServer {
  readonly server: Server;
  /** Operations started over graphql-ws (tests wait on it instead of sleeping). */
  readonly websocketOperations: OperationWatch;
  /** Resolves with the bound port (useful with PORT=0). */
  listen(): Promise<number>;
  stop(): Promise<void>;
}

export async function createHttpServer(
  config: Config,
  services: Services,
  schema: GraphQLSchema,
  log: Logger,
  readiness: ReadinessCheck[],
  /** With MQTT_WEBSOCKETS: a new connection to the broker for a lock relayed from /mqtt. */
  openRelayedMqtt?: (overHttps: boolean) => Socket,
): Promise<HttpServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.proxyHops);
  const server = createServer(app);
  const ws = createGraphqlWebSocket(schema, config, services, log);
  const mqttWs =
    config.mqtt.websockets && openRelayedMqtt
      ? createMqttWebSocket({ openRelayed: openRelayedMqtt, httpsOnly: config.env === 'production', proxyHops: config.http.proxyHops, log })
      : undefined;
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/graphql') return ws.handleUpgrade(req, socket, head);
    if (path === MQTT_WEBSOCKET_PATH && mqttWs) return mqttWs.handleUpgrade(req, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  // In-flight requests and WebSocket close handshakes get this long before their
  // sockets are destroyed: less than half of the shutdown budget, which must also
  // cover writing heartbeats and closing the broker and the store.
  const drainMs = Math.round(config.shutdownTimeoutMs * 0.4);
  const drain = ApolloServerPluginDrainHttpServer({ httpServer: server, stopGracePeriodMillis: drainMs });
  const apollo = createApollo(schema, config, log, services.metrics, [drain]);
  await apollo.start();

  app.use((req: Request, res: Response, next: NextFunction) => {
    const offered = req.get('x-request-id');
    res.locals.requestId = offered && REQUEST_ID.test(offered) ? offered : randomUUID();
    res.setHeader('x-request-id', res.locals.requestId as string);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    next();
  });

  // Before compression: images are binary and served as they are stored.
  mountFirmwareImages(app, services.firmware.images);
  // The app's JS and the playground's editor are large text files: compress (Lighthouse's top advice).
  app.use(compression());
  mountOperationalRoutes(app, services, readiness);
  mountMetrics(app, config, services.metrics);
  mountPlayground(app);
  mountSessionRoutes(app, config, services, log);

  // Cheapest first: the Origin, the body size, then the operation gate (tokens, parse,
  // depth/aliases/cost); Apollo's schema validation only sees what passed all of them.
  app.use(
    '/graphql',
    refuseUnlistedOrigins(config.http.allowedOrigins),
    express.json({ limit: config.http.bodyLimit }),
    gateOperations(createOperationGate(schema, config.graphql), services.metrics),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<GraphQLContext> => {
        const requestId = res.locals.requestId as string;
        const { viewer, tokenRejected } = await services.viewers.fromAuthorization(req.headers.authorization);
        const wantsCookie = req.get(REFRESH_COOKIE_HEADER) === '1' && isSameSiteRequest(req, config.http.allowedOrigins);
        const requestOrigin = originOf(req);
        const operationLog = childOnFirstUse(log, { requestId, transport: 'http' });
        return {
          viewer,
          tokenRejected,
          clientAddress: clientAddressOf(req, config.http.proxyHops),
          userAgent: boundedUserAgent(req.headers['user-agent']),
          ...(requestOrigin ? { requestOrigin } : {}),
          requestId,
          get log() {
            return operationLog();
          },
          services,
          loaders: createLoaders(services.store),
          ...(wantsCookie ? { setRefreshCookie: (token: string) => void res.append('set-cookie', refreshCookie(token, config.auth.refreshTokenTtlMs)) } : {}),
        };
      },
    }),
  );

  mountPwa(app);

  // Body-parser and other middleware errors: a clear status, never a stack trace.
  app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 600 ? error.status : 500;
    if (status >= 500) log.error({ err: error, requestId: res.locals.requestId }, 'http request failed');
    const message = error.type === 'entity.too.large' ? `Request body exceeds ${config.http.bodyLimit}` : status >= 500 ? 'Internal server error' : error.message;
    res.status(status).json({ errors: [{ message, extensions: { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
  });

  return {
    server,
    websocketOperations: ws.operations,
    listen: () =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.http.port, config.http.host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    async stop() {
      // Together: Apollo's drain closes the listening socket at once (nothing new is
      // accepted) while the WebSocket clients are told to go away.
      mqttWs?.stop();
      await Promise.all([ws.stop(drainMs), apollo.stop()]);
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
