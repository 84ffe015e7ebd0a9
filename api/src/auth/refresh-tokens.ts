import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'slr_';

/** Opaque refresh tokens: 32 random bytes; only their SHA-256 is stored. */
export function newRefreshToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeRefreshToken(token: string): boolean {
  return token.startsWith(PREFIX) && token.length === PREFIX.length + 43;
}
