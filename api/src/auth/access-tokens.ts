/**
 * Short-lived JWT access tokens. HS256 only (pinned on verify, so `alg: none`
 * or an RS/HS confusion cannot pass), with issuer, audience and a `typ` that
 * nothing else we sign carries. `ver` is the user's token version: bumping it
 * (sign out everywhere) invalidates every token issued before.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Role } from '../store/records.js';

const ISSUER = 'smartlock';
const AUDIENCE = 'smartlock-api';
const TYPE = 'access';

export interface AccessClaims {
  userId: string;
  tokenVersion: number;
  role: Role;
  /** The session line (refresh-token family) it was issued for; null for tokens issued before it was carried. */
  sessionId: string | null;
  /** Expiry, epoch ms. */
  expiresAt: number;
}

export class AccessTokens {
  /** Built once: jsonwebtoken would otherwise derive a key object from the string on every call. */
  private readonly secret: KeyObject;

  constructor(
    secret: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.secret = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /** `sessionId`: the session line it belongs to, so that what a browser registers (push) can end with that session. */
  issue(user: { id: string; tokenVersion: number; role: Role }, sessionId?: string): { token: string; expiresAt: Date } {
    const issuedAt = Math.floor(this.now() / 1000);
    const expiresAtSeconds = issuedAt + Math.max(1, Math.floor(this.ttlMs / 1000));
    const token = jwt.sign(
      { typ: TYPE, ver: user.tokenVersion, role: user.role, iat: issuedAt, exp: expiresAtSeconds, ...(sessionId ? { sid: sessionId } : {}) },
      this.secret,
      { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, subject: user.id },
    );
    return { token, expiresAt: new Date(expiresAtSeconds * 1000) };
  }

  /** Returns the claims of a valid access token, or null for anything else. */
  verify(token: string): AccessClaims | null {
    try {
      const payload = jwt.verify(token, this.secret, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        clockTimestamp: Math.floor(this.now() / 1000),
      });
      if (typeof payload !== 'object' || payload.typ !== TYPE) return null;
      const { sub, ver, role, exp, sid } = payload as Record<string, unknown>;
      if (typeof sub !== 'string' || typeof ver !== 'number' || typeof exp !== 'number') return null;
      if (role !== 'USER' && role !== 'ADMIN') return null;
      return { userId: sub, tokenVersion: ver, role, sessionId: typeof sid === 'string' ? sid : null, expiresAt: exp * 1000 };
    } catch {
      return null;
    }
  }
}
