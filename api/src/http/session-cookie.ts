/**
 * The browser's refresh token lives in a cookie that scripts cannot read (docs/security.md,
 * "Refresh token in an HttpOnly cookie"): `HttpOnly; Secure; SameSite=Strict; Path=/auth`, so
 * it goes only to the small endpoints below, never with /graphql requests.
 *
 *   POST /auth/refresh              rotates the cookie, answers a new access token
 *   POST /auth/sign-out             ends the cookie's session line, clears the cookie
 *   POST /auth/sign-out-everywhere  (Bearer access token) ends every session, clears the cookie
 *
 * The cookie is first set by the `signIn`/`signUp` mutations when the request carries
 * `X-Refresh-Cookie: 1` (the PWA does; API clients keep using `refreshToken` from the body).
 * Each endpoint refuses cross-site requests: a `Sec-Fetch-Site` other than same-origin, an
 * Origin that is neither listed in ALLOWED_ORIGINS nor the request's own host, and any body
 * that is not `application/json` (which a cross-origin page cannot send without a preflight).
 */
import type { IncomingMessage } from 'node:http';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../app/logger.js';
import type { Services } from '../app/services.js';
import type { Session } from '../auth/auth.service.js';
import { boundedUserAgent } from '../auth/device-name.js';
import type { Config } from '../config/config.js';
import { UnauthenticatedError } from '../errors/graphql-errors.js';
import { clientAddressOf } from './client-address.js';

export const REFRESH_COOKIE = '__Secure-smartlock-refresh';
export const REFRESH_COOKIE_PATH = '/auth';
/** The request header with which a browser asks `signIn`/`signUp` for the cookie. */
export const REFRESH_COOKIE_HEADER = 'x-refresh-cookie';

const ATTRIBUTES = `Path=${REFRESH_COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict`;
const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;

export function refreshCookie(token: string, maxAgeMs: number): string {
  return `${REFRESH_COOKIE}=${token}; Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}; ${ATTRIBUTES}`;
}

export const CLEARED_REFRESH_COOKIE = `${REFRESH_COOKIE}=; Max-Age=0; ${ATTRIBUTES}`;

/** The refresh token from the Cookie header, or undefined. */
export function readRefreshCookie(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== REFRESH_COOKIE) continue;
    const value = part.slice(at + 1).trim();
    return TOKEN.test(value) ? value : undefined;
  }
  return undefined;
}

/** True when a browser sent this request from the api's own site (or a listed origin). */
export function isSameSiteRequest(req: IncomingMessage, allowedOrigins: string[]): boolean {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  if (origin !== undefined && allowedOrigins.includes(origin.toLowerCase())) return true;
  // Browsers (since 2020-2023) say where a request comes from; a dev proxy (Vite's) may rewrite Host.
  if (site !== undefined) return site === 'same-origin';
  if (origin === undefined) return true;
  // The cookie belongs to the host name, so under DNS rebinding the attacker's origin has none.
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

const SESSION_ENDED = 'Your session has ended. Sign in again.';

function guard(config: Config): RequestHandler {
  return (req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    if (!isSameSiteRequest(req, config.http.allowedOrigins)) {
      refuse(res, 403, 'ORIGIN_NOT_ALLOWED', 'Cross-site requests may not use the session endpoints.');
      return;
    }
    if (!req.is('application/json')) {
      refuse(res, 415, 'BAD_REQUEST', 'Send Content-Type: application/json.');
      return;
    }
    next();
  };
}

function sessionBody(session: Session) {
  const { user } = session;
  return {
    accessToken: session.accessToken,
    expiresAt: session.expiresAt.toISOString(),
    user: { id: user.id, username: user.username, role: user.role },
  };
}

export function mountSessionRoutes(app: Express, config: Config, services: Services, log: Logger): void {
  const router = express.Router();
  const guarded = [guard(config), express.json({ limit: '1kb' })];

  router.post('/refresh', ...guarded, async (req: Request, res: Response) => {
    const token = readRefreshCookie(req);
    if (!token) {
      res.setHeader('set-cookie', CLEARED_REFRESH_COOKIE);
      refuse(res, 401, 'UNAUTHENTICATED', SESSION_ENDED);
      return;
    }
    try {
      const client = { address: clientAddressOf(req, config.http.proxyHops), userAgent: boundedUserAgent(req.headers['user-agent']) };
      const session = await services.auth.refreshSession(token, client);
      res.setHeader('set-cookie', refreshCookie(session.refreshToken, config.auth.refreshTokenTtlMs));
      res.json(sessionBody(session));
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) throw error;
      res.setHeader('set-cookie', CLEARED_REFRESH_COOKIE);
      refuse(res, 401, 'UNAUTHENTICATED', SESSION_ENDED);
    }
  });

  router.post('/sign-out', ...guarded, async (req: Request, res: Response) => {
    const token = readRefreshCookie(req);
    if (token) await services.auth.signOut(token);
    res.setHeader('set-cookie', CLEARED_REFRESH_COOKIE);
    res.json({ ok: true });
  });

  router.post('/sign-out-everywhere', ...guarded, async (req: Request, res: Response) => {
    const { viewer } = await services.viewers.fromAuthorization(req.headers.authorization);
    if (!viewer) {
      refuse(res, 401, 'UNAUTHENTICATED', SESSION_ENDED);
      return;
    }
    await services.auth.signOutEverywhere(viewer.user);
    res.setHeader('set-cookie', CLEARED_REFRESH_COOKIE);
    res.json({ ok: true });
  });

  app.use(REFRESH_COOKIE_PATH, router);
  log.debug({ path: REFRESH_COOKIE_PATH }, 'session cookie endpoints mounted');
}
