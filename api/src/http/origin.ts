import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * Browser Origin check for /graphql, WebSocket and HTTP alike. With no
 * ALLOWED_ORIGINS (or `*`) every origin is accepted; otherwise only the listed
 * ones. The api's own origin is not inferred from the Host header: under DNS
 * rebinding an attacker's page has Host and Origin both naming the attacker's
 * domain, so "same host" proves nothing. List the api's public origin instead.
 * Requests without an Origin (not from a browser) are not affected.
 */
export function isOriginAllowed(req: IncomingMessage, allowed: string[]): boolean {
  const origin = req.headers.origin;
  return allowed.length === 0 || origin === undefined || allowed.includes(origin);
}

/** Answers 403 ORIGIN_NOT_ALLOWED to an HTTP request from an unlisted browser Origin. */
export function refuseUnlistedOrigins(allowed: string[]): RequestHandler {
  return (req, res, next) => {
    if (isOriginAllowed(req, allowed)) return next();
    res.status(403).json({ errors: [{ message: 'This origin may not use the api. Ask its operator to add it to ALLOWED_ORIGINS.', extensions: { code: 'ORIGIN_NOT_ALLOWED' } }] });
  };
}
