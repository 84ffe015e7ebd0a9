/**
 * Short-lived JWT access tokens. HS256 only (pinned on verify, so `alg: none`
 * or an RS/HS confusion cannot pass), with issuer, audience and a `typ` that
 * nothing else we sign carries. `ver` is the user's token version: bumping it
 * (sign out everywhere) invalidates every token issued before.
 *
 * A client sends one token with each of its requests for the token's whole life, and
 * jsonwebtoken's verify (base64, JSON, HMAC, claim checks) was a fifth of the api's own work on a
 * lock/unlock request (bench/README.md, "Command round trip"), so the claims of a token that
 * verified are kept, keyed by its exact text, and only its expiry is checked again on each use.
 * Revocation does not rest on this step: the viewer's token version and session line are read
 * from the store on every request (viewer.ts).
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Role } from '../store/records.js';

const ISSUER = 'smartlock';
const AUDIENCE = 'smartlock-api';
const TYPE = 'access';
/** Verified tokens kept; past it the oldest is dropped (a dropped token is simply verified again). */
const MAX_VERIFIED = 2_000;

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
  /** Claims of tokens that verified, oldest first. */
  private readonly verified = new Map<string, AccessClaims>();

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
    const nowSeconds = Math.floor(this.now() / 1000);
    const known = this.verified.get(token);
    if (known) {
      // jsonwebtoken's own rule: expired from the second `exp` names.
      if (nowSeconds < known.expiresAt / 1000) return known;
      this.verified.delete(token);
      return null;
    }
    const claims = this.verifyAnew(token, nowSeconds);
    if (claims) {
      if (this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(token, claims);
    }
    return claims;
  }

  private verifyAnew(token: string, nowSeconds: number): AccessClaims | null {
    try {
      const payload = jwt.verify(token, this.secret, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        clockTimestamp: nowSeconds,
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
