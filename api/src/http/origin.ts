import type { IncomingMessage } from 'node:http';

/**
 * WebSocket Origin check (browsers send Origin; other clients may not). With no
 * ALLOWED_ORIGINS every origin is accepted; otherwise the listed ones and the
 * api's own origin (the playground and the PWA it serves).
 */
export function isOriginAllowed(req: IncomingMessage, allowed: string[]): boolean {
  const origin = req.headers.origin;
  if (allowed.length === 0 || origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
