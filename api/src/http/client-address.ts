import type { IncomingMessage } from 'node:http';

/**
 * The client's address for throttling. X-Forwarded-For is trusted only behind
 * a proxy we were told about (TRUST_PROXY), otherwise anyone could rotate it.
 */
export function clientAddressOf(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
