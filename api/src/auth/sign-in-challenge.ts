/**
 * The first step of a two-step sign-in: a short-lived signed token saying "this user gave the
 * right password", traded with a second-factor code for a session. It is not a session: nothing
 * but `signInSecondFactor` accepts it (own `typ` and audience), and the user's token version is in
 * it, so "sign out everywhere" voids pending challenges too.
 */
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

const ISSUER = 'smartlock';
const AUDIENCE = 'smartlock-sign-in';
const TYPE = 'sign-in-challenge';
/** Time to open the authenticator app and type six digits. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

export class SignInChallenges {
  private readonly secret: KeyObject;

  constructor(
    secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.secret = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  issue(user: { id: string; tokenVersion: number }): { token: string; expiresAt: Date } {
    const issuedAt = Math.floor(this.now() / 1000);
    const exp = issuedAt + CHALLENGE_TTL_MS / 1000;
    // A jwtid makes each attempt's token its own: a passkey answer is bound to one attempt (passkey-sign-in.ts).
    const token = jwt.sign({ typ: TYPE, ver: user.tokenVersion, iat: issuedAt, exp }, this.secret, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, subject: user.id, jwtid: randomUUID() });
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The user id and token version of a valid challenge, or null. */
  verify(token: string): { userId: string; tokenVersion: number } | null {
    try {
      const payload = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, clockTimestamp: Math.floor(this.now() / 1000) });
      if (typeof payload !== 'object' || payload.typ !== TYPE) return null;
      const { sub, ver } = payload as Record<string, unknown>;
      return typeof sub === 'string' && typeof ver === 'number' ? { userId: sub, tokenVersion: ver } : null;
    } catch {
      return null;
    }
  }
}
