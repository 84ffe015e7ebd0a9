/**
 * Subscriptions over graphql-ws on the page's own host. The socket authenticates with the
 * session's access token; when the server closes it as unauthorized (4401: expired, 4403: refused)
 * the next connection first refreshes the session. Subscriptions survive reconnects.
 *
 * Events can be missed in two ways, and both reach `onMissedEvents` listeners: this socket was
 * down for a while, or the api says so with `resync` (its replicas lost Redis for a while).
 *
 * While the socket is open it also carries the lock and unlock mutations (`execute`): one frame
 * each way instead of an HTTP request through the api's HTTP stack, about a millisecond less on the
 * path from a tap to the door (bench/README.md, "Command round trip"). Unlike a subscription, such
 * an operation is never sent again by a reconnect: a command that arrives late is worse than one that
 * fails, so a drop ends it with a NetworkError and the caller retries it under the same idempotency key.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import { ResyncDocument } from '../operations/live';
import type { Connectivity } from './connectivity';
import { ApiError, NetworkError, operationName, queryText, toApiError } from './graphql-http';
import type { SessionManager } from './session';

export interface LiveClient {
  /** Calls `onData` for every event until the returned function is called or the server completes. */
  subscribe<R, V extends Record<string, unknown>>(
    document: TypedDocumentNode<R, V>,
    variables: V,
    handlers: { next: (data: R) => void; error?: (error: ApiError) => void; complete?: () => void },
  ): () => void;
  /**
   * Called when events may have been missed: the socket came back from a disconnect, or the api
   * sent `resync`. Listeners reload what they show.
   */
  onMissedEvents(listener: () => void): () => void;
  /**
   * Runs a query or mutation on the socket if it is open now, else answers null (use HTTP). Rejects
   * with ApiError for the api's errors, NetworkError if the socket closed or `timeoutMs` passed first.
   */
  execute<R, V>(document: TypedDocumentNode<R, V>, variables: V, timeoutMs?: number): Promise<R> | null;
  dispose(): void;
}

/** How long an operation on the socket may wait for its answer before it ends as a NetworkError. */
const EXECUTE_TIMEOUT_MS = 10_000;

const UNAUTHORIZED_CLOSE_CODES = new Set([4401, 4403]);

function closeCodeOf(value: unknown): number | null {
  if (typeof value === 'object' && value !== null && 'code' in value && typeof value.code === 'number') return value.code;
  return null;
}

export function socketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
}

export function createLiveClient(session: SessionManager, connectivity: Connectivity, url: string): LiveClient {
  let tokenInUse: string | null = null;
  let rejectedToken: string | null = null;
  let connectedBefore = false;
  const missedEventsListeners = new Set<() => void>();
  const notifyMissedEvents = () => {
    for (const listener of [...missedEventsListeners]) listener();
  };
  let stopResync: (() => void) | null = null;
  let open = false;
  /** Operations sent with `execute` and not answered yet: a closed socket ends each of them. */
  const unanswered = new Set<(error: NetworkError) => void>();

  const client: Client = createClient({
    url,
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    connectionParams: async () => {
      let token = await session.accessToken();
      if (token !== null && token === rejectedToken) token = (await session.refresh(token)).accessToken;
      tokenInUse = token;
      return { authorization: token ? `Bearer ${token}` : '' };
    },
    on: {
      connected: () => {
        open = true;
        connectivity.reportReachable();
        if (connectedBefore) notifyMissedEvents();
        connectedBefore = true;
      },
      closed: (event) => {
        open = false;
        for (const end of [...unanswered]) end(new NetworkError('The live connection closed before the answer came.'));
        const code = closeCodeOf(event);
        if (code !== null && UNAUTHORIZED_CLOSE_CODES.has(code)) rejectedToken = tokenInUse;
        // 1000 is the lazy close when nothing listens; anything else means the api went away.
        else if (code !== 1000) connectivity.reportUnreachable();
      },
    },
  });

  const live: LiveClient = {
    subscribe<R, V extends Record<string, unknown>>(
      document: TypedDocumentNode<R, V>,
      variables: V,
      handlers: { next: (data: R) => void; error?: (error: ApiError) => void; complete?: () => void },
    ) {
      let stopped = false;
      let cancel = () => {};
      let attempt = 0;
      let retryTimer: ReturnType<typeof setTimeout> | undefined;

      const retry = () => {
        // 4401 is final for graphql-ws; resubscribing opens a new socket with a fresh token.
        const delay = Math.min(30_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
        attempt += 1;
        retryTimer = setTimeout(start, delay);
      };

      function start() {
        if (stopped) return;
        cancel = client.subscribe<R>(
          { query: queryText(document), variables, operationName: operationName(document) ?? null },
          {
            next: (result) => {
              attempt = 0;
              if (result.errors && result.errors.length > 0) handlers.error?.(toApiError(result.errors));
              else if (result.data) handlers.next(result.data);
            },
            error: (error: unknown) => {
              if (stopped) return;
              if (Array.isArray(error)) {
                const apiError = toApiError(error as { message?: unknown; extensions?: Record<string, unknown> }[]);
                if (apiError.code === 'UNAUTHENTICATED') {
                  rejectedToken = tokenInUse;
                  retry();
                } else handlers.error?.(apiError);
                return;
              }
              if (session.current()) retry();
            },
            complete: () => {
              if (!stopped) handlers.complete?.();
            },
          },
        );
      }

      start();
      return () => {
        stopped = true;
        clearTimeout(retryTimer);
        cancel();
      };
    },
    onMissedEvents(listener) {
      missedEventsListeners.add(listener);
      // One `resync` subscription while anyone listens, so that no socket stays open for it alone.
      stopResync ??= live.subscribe(ResyncDocument, {}, { next: notifyMissedEvents });
      return () => {
        missedEventsListeners.delete(listener);
        if (missedEventsListeners.size > 0) return;
        stopResync?.();
        stopResync = null;
      };
    },
    execute<R, V>(document: TypedDocumentNode<R, V>, variables: V, timeoutMs = EXECUTE_TIMEOUT_MS): Promise<R> | null {
      if (!open) return null;
      return new Promise<R>((resolve, reject) => {
        let settled = false;
        let cancel = () => {};
        /** The first outcome wins: the answer (`next`) usually comes a frame before `complete`. */
        const settle = (outcome: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          unanswered.delete(end);
          outcome();
        };
        // Cancelled, not left to graphql-ws: it would send the operation again on the next socket.
        function end(error: NetworkError) {
          settle(() => {
            cancel();
            reject(error);
          });
        }
        unanswered.add(end);
        const timer = setTimeout(() => end(new NetworkError('No answer on the live connection.')), timeoutMs);
        cancel = client.subscribe(
          // A document's variables are an object (codegen's type for them); graphql-ws types them as a record.
          { query: queryText(document), variables: variables as Record<string, unknown>, operationName: operationName(document) ?? null },
          {
            next: (result) =>
              settle(() => {
                if (result.errors && result.errors.length > 0) reject(toApiError(result.errors));
                else if (result.data) resolve(result.data as R);
                else reject(new ApiError('The server sent no data.', 'INTERNAL_SERVER_ERROR'));
              }),
            error: (error: unknown) =>
              settle(() => reject(Array.isArray(error) ? toApiError(error as { message?: unknown; extensions?: Record<string, unknown> }[]) : new NetworkError('The live connection failed.'))),
            complete: () => settle(() => reject(new NetworkError('The live connection ended the operation without an answer.'))),
          },
        );
      });
    },
    dispose() {
      void client.dispose();
    },
  };
  return live;
}
