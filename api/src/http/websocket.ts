/**
 * graphql-ws on the same port and path as HTTP. A socket must present a valid
 * access token in `connectionParams.authorization` (checked in onConnect) and
 * is closed when that token expires; each operation re-checks the token, and
 * socket-rights.ts closes the socket when its user's rights change (sign out
 * everywhere, a new role), so no open subscription outlives them.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { GraphQLContext } from '../app/context.js';
import { createLoaders } from '../graphql/batch-loader.js';
import { childOnFirstUse, type Logger } from '../app/logger.js';
import type { Services } from '../app/services.js';
import type { Viewer } from '../auth/viewer.js';
import type { Config } from '../config/config.js';
import { UnauthenticatedError } from '../errors/graphql-errors.js';
import { makeWsDocumentPipeline } from '../graphql/ws-document-pipeline.js';
import { isOriginAllowed } from './origin.js';
import { boundedUserAgent } from '../auth/device-name.js';
import { clientAddressOf } from './client-address.js';
import { operationLabel } from './operation-label.js';
import { OperationWatch } from './operation-watch.js';
import { SocketRights } from './socket-rights.js';

/** Close code a client sees when its token expired or was revoked: reconnect with a fresh one. */
export const TOKEN_EXPIRED_CLOSE = 4401;

interface SocketState {
  expiryTimer?: NodeJS.Timeout;
  authorization?: string;
  /** The viewer checked in onSubscribe, handed to that operation's context (one lookup per operation). */
  checked: Map<string, Viewer>;
}

export function createGraphqlWebSocket(schema: GraphQLSchema, config: Config, services: Services, log: Logger) {
  // No server of its own: server.ts routes upgrades by path (/graphql here, /mqtt: mqtt-websocket.ts).
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    verifyClient: ({ req }: { req: IncomingMessage }) => isOriginAllowed(req, config.http.allowedOrigins),
  });
  const states = new WeakMap<WebSocket, SocketState>();
  const documents = makeWsDocumentPipeline(config.graphql);
  const rights = new SocketRights({ events: services.events, users: services.store.users, sessions: services.store.sessions, log });

  const operations = new OperationWatch();

  const closeExpired = (socket: WebSocket) => socket.close(TOKEN_EXPIRED_CLOSE, 'Unauthorized: access token expired');

  const handle = useServer<Record<string, unknown>, { state: SocketState }>(
    {
      schema,
      parse: (source) => documents.parse(source),
      validate: (schema, document) => documents.validate(schema, document),
      execute: documents.execute,
      subscribe: documents.subscribe,
      async onConnect(ctx) {
        const authorization = ctx.connectionParams?.authorization;
        const { viewer } = await services.viewers.fromAuthorization(authorization);
        if (!viewer) return false; // graphql-ws closes with 4403 Forbidden
        const state: SocketState = { authorization: authorization as string, checked: new Map() };
        const msLeft = viewer.tokenExpiresAt - Date.now();
        state.expiryTimer = setTimeout(() => closeExpired(ctx.extra.socket), Math.max(0, msLeft));
        state.expiryTimer.unref();
        states.set(ctx.extra.socket, state);
        rights.track(ctx.extra.socket, { userId: viewer.user.id, tokenVersion: viewer.user.tokenVersion, role: viewer.user.role, sessionId: viewer.sessionId });
        return true;
      },
      async onSubscribe(ctx, id) {
        // Re-checked per operation so "sign out everywhere" and expired users end open sockets.
        const state = states.get(ctx.extra.socket);
        const { viewer } = await services.viewers.fromAuthorization(state?.authorization);
        if (viewer && state) {
          state.checked.set(id, viewer);
          return undefined;
        }
        closeExpired(ctx.extra.socket);
        return [new UnauthenticatedError('Your session has ended. Sign in again.')];
      },
      onClose(ctx) {
        clearTimeout(states.get(ctx.extra.socket)?.expiryTimer);
      },
      context(ctx, id, payload, args): GraphQLContext {
        const requestId = randomUUID();
        const state = states.get(ctx.extra.socket);
        const viewer = state?.checked.get(id) ?? null;
        state?.checked.delete(id);
        services.metrics.graphqlOperations.inc({ ...operationLabel(schema, args.document, undefined), outcome: viewer ? 'ok' : 'UNAUTHENTICATED' });
        if (!viewer) throw new UnauthenticatedError('Your session has ended. Sign in again.'); // not checked: cannot happen after onSubscribe
        const operationLog = childOnFirstUse(log, { requestId, operation: payload.operationName ?? undefined, transport: 'ws' });
        return {
          viewer,
          tokenRejected: false,
          clientAddress: clientAddressOf(ctx.extra.request, config.http.proxyHops),
          userAgent: boundedUserAgent(ctx.extra.request.headers['user-agent']),
          requestId,
          get log() {
            return operationLog();
          },
          services,
          loaders: createLoaders(services.store),
        };
      },
      onOperation() {
        operations.started();
      },
      onError(ctx, id, _payload, errors) {
        states.get(ctx.extra.socket)?.checked.delete(id); // rejected before its context was built
        log.debug({ errors: errors.map((e) => e.message) }, 'websocket operation rejected');
      },
    },
    wss,
  );

  return {
    operations,
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    /**
     * Closes every socket with 1001 and resolves once all have closed. A client
     * that does not answer the close handshake (a phone that went to sleep) is
     * cut off after `graceMs`, instead of after ws's 30 s close timeout.
     */
    async stop(graceMs: number): Promise<void> {
      await rights.stop();
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      const cutOff = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, graceMs);
      try {
        await handle.dispose();
      } finally {
        clearTimeout(cutOff);
      }
    },
  };
}
