import { createGraphiQLFetcher, type Fetcher, type FetcherOpts } from '@graphiql/toolkit';
import { createClient, type Client } from 'graphql-ws';

/** How many WebSocket clients (one per distinct Authorization value) are kept at most. */
const MAX_CLIENTS = 4;

export interface AuthAwareFetcherOptions {
  /** HTTP endpoint for queries and mutations (POST, `Content-Type: application/json`). */
  httpUrl: string;
  /** graphql-ws endpoint for subscriptions. */
  wsUrl: string;
}

/**
 * A GraphiQL fetcher whose subscriptions authenticate with the same `Authorization` header the
 * user typed into GraphiQL's headers editor.
 *
 * Why not one static `wsClient`: browsers cannot set headers on a WebSocket handshake, so the api
 * reads the token from graphql-ws `connectionParams` (`{ authorization: 'Bearer …' }`), which are
 * sent once per connection. GraphiQL passes the active tab's parsed headers to the fetcher on every
 * run, so the fetcher picks (or creates) a graphql-ws client for that exact Authorization value.
 * Changing the header therefore yields a new client and a fresh connection with the new
 * identity, while a subscription still running in another tab keeps its own client. Clients are
 * `lazy`: one opens its socket on the first subscription and closes it when the last one ends, so
 * a client kept for an old header holds no connection. Queries and mutations go over HTTP, where
 * `createGraphiQLFetcher` already forwards the editor's headers.
 */
export function createAuthAwareFetcher({ httpUrl, wsUrl }: AuthAwareFetcherOptions): Fetcher {
  const fetchers = new Map<string, { client: Client; fetcher: Fetcher }>();

  const fetcherFor = (authorization: string | undefined): Fetcher => {
    const key = authorization ?? '';
    const existing = fetchers.get(key);
    if (existing) return existing.fetcher;

    const client = createClient({
      url: wsUrl,
      lazy: true,
      connectionParams: () => (authorization ? { authorization } : {}),
    });
    const fetcher = createGraphiQLFetcher({
      url: httpUrl,
      wsClient: client,
      // The api runs graphql 16 (no @defer/@stream): plain JSON responses only.
      enableIncrementalDelivery: false,
    });
    fetchers.set(key, { client, fetcher });
    evictOldest(fetchers);
    return fetcher;
  };

  return (params, opts) => fetcherFor(authorizationHeader(opts))(params, opts);
}

/** Header names are case-insensitive; the user may type `authorization` or `Authorization`. */
export function authorizationHeader(opts: FetcherOpts | undefined): string | undefined {
  const headers: Record<string, unknown> = opts?.headers ?? {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'authorization' && typeof value === 'string' && value.trim()) {
      return value.trim();
    }
  }
  return undefined;
}

function evictOldest(fetchers: Map<string, { client: Client }>): void {
  while (fetchers.size > MAX_CLIENTS) {
    const oldest = fetchers.keys().next();
    if (oldest.done) return;
    const entry = fetchers.get(oldest.value);
    fetchers.delete(oldest.value);
    void entry?.client.dispose();
  }
}
