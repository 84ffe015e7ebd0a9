/** A graphql-ws client that reports how its socket was closed, for tests of forced closes. */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface WatchedSocket {
  client: Client;
  /** Resolves with the close code of the first socket this client opened that the server closed. */
  closed: Promise<number>;
  /** The close code, or a rejection when the socket is still open `ms` after this call. */
  closedWithin(ms: number): Promise<number>;
}

export function watchedSocket(url: string, token: string): WatchedSocket {
  let reportClose: (code: number) => void = () => undefined;
  const closed = new Promise<number>((resolve) => (reportClose = resolve));
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
    on: {
      closed: (event) => {
        const code = (event as { code?: unknown }).code;
        if (typeof code === 'number') reportClose(code);
      },
    },
  });
  return {
    client,
    closed,
    closedWithin(ms) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`the socket was still open ${ms} ms later`)), ms);
      });
      return Promise.race([closed, timeout]).finally(() => clearTimeout(timer));
    },
  };
}
