/**
 * One-time links for account recovery and email verification: 32 random bytes, base64url, of
 * which only the SHA-256 is stored. They open the app at `<origin>/recover#<token>` (or
 * `/verify-email#<token>`): in the fragment, so the token never reaches a server log or a Referer.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config/config.js';

/** An admin hands the link over by hand (chat, phone, in person): a day to use it. */
export const ADMIN_LINK_TTL_MS = 24 * 3_600_000;
/** A mailed link sits in a mailbox that may be read later by others: one hour. */
export const EMAIL_LINK_TTL_MS = 3_600_000;
/** Verifying an address proves only that its owner reads it: a day, as it can wait for them. */
export const VERIFY_LINK_TTL_MS = 24 * 3_600_000;

export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token.trim()).digest('hex');
}

/** A token as `newLinkToken` makes them: anything else is not looked up. */
export function looksLikeLinkToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token.trim());
}

/** Where the app is served: the first ALLOWED_ORIGINS entry, else the api's own port on localhost (development). */
export function appOrigin(config: Config): string {
  return config.http.allowedOrigins[0] ?? `http://localhost:${config.http.port}`;
}

export const recoverUrl = (origin: string, token: string) => `${origin}/recover#${token}`;
export const verifyEmailUrl = (origin: string, token: string) => `${origin}/verify-email#${token}`;

/** "24 hours", "1 hour", "30 minutes": how long a link stays valid, for people. */
export function describeTtl(ms: number): string {
  const hours = ms / 3_600_000;
  if (Number.isInteger(hours)) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const minutes = Math.round(ms / 60_000);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
