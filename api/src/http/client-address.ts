import type { IncomingMessage } from 'node:http';

/** Longer entries are not addresses; bounded so a throttle key stays small. */
const MAX_ADDRESS_LENGTH = 64;

/**
 * The client's address for throttling and the audit log. Each of the `proxyHops` trusted
 * proxies in front of the api appends the address it received the request from to
 * X-Forwarded-For, so the client is the rightmost address those proxies did not add.
 * Entries further left were written by the client and are never believed.
 */
export function clientAddressOf(req: IncomingMessage, proxyHops: number): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  if (proxyHops <= 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...forwarded, socketAddress];
  // Fewer entries than proxies (a request that skipped one): the leftmost is the best there is.
  const client = chain[Math.max(0, chain.length - 1 - proxyHops)] ?? socketAddress;
  return client.slice(0, MAX_ADDRESS_LENGTH);
}
