import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { AccessTokens } from './access-tokens.js';

const SECRET = 'x'.repeat(16) + '0123456789abcdef0123456789abcdef0123456789abcdef';
const user = { id: 'u1', tokenVersion: 3, role: 'USER' as const };

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('access tokens', () => {
  const tokens = new AccessTokens(SECRET, 15 * 60_000);

  it('round-trips the user, version, role and session line', () => {
    const { token, expiresAt } = tokens.issue(user, 'family-1');
    expect(tokens.verify(token)).toEqual({ userId: 'u1', tokenVersion: 3, role: 'USER', sessionId: 'family-1', expiresAt: expiresAt.getTime() });
    expect(tokens.verify(tokens.issue(user).token)?.sessionId).toBeNull();
  });

  it('refuses alg none', () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'u1', ver: 3, role: 'ADMIN', typ: 'access', iss: 'smartlock', aud: 'smartlock-api', exp: now + 60 })}.`;
    expect(tokens.verify(unsigned)).toBeNull();
  });

  it('refuses another algorithm, another secret, another audience and another type', () => {
    const claims = { typ: 'access', ver: 3, role: 'USER' };
    const base = { issuer: 'smartlock', audience: 'smartlock-api', subject: 'u1', expiresIn: 60 } as const;
    expect(tokens.verify(jwt.sign(claims, SECRET, { ...base, algorithm: 'HS512' }))).toBeNull();
    expect(tokens.verify(jwt.sign(claims, `${SECRET}-other`, { ...base, algorithm: 'HS256' }))).toBeNull();
    expect(tokens.verify(jwt.sign(claims, SECRET, { ...base, algorithm: 'HS256', audience: 'other' }))).toBeNull();
    expect(tokens.verify(jwt.sign({ ...claims, typ: 'refresh' }, SECRET, { ...base, algorithm: 'HS256' }))).toBeNull();
    expect(tokens.verify(jwt.sign(claims, SECRET, { ...base, algorithm: 'HS256' }))).not.toBeNull();
  });

  it('refuses an expired token', () => {
    let now = Date.now();
    const clocked = new AccessTokens(SECRET, 60_000, () => now);
    const { token } = clocked.issue(user);
    now += 61_000;
    expect(clocked.verify(token)).toBeNull();
  });

  it('refuses a token from the second it expires, also one verified before (and kept)', () => {
    let now = Date.now();
    const clocked = new AccessTokens(SECRET, 60_000, () => now);
    const { token, expiresAt } = clocked.issue(user);
    const expiry = expiresAt.getTime();
    now = expiry - 1_001;
    expect(clocked.verify(token)).not.toBeNull();
    expect(clocked.verify(token)).not.toBeNull();
    now = expiry;
    expect(clocked.verify(token)).toBeNull();
    // Never verified before: the same answers from jsonwebtoken itself.
    const fresh = new AccessTokens(SECRET, 60_000, () => now);
    now = expiry - 1_001;
    expect(fresh.verify(token)).not.toBeNull();
    const late = new AccessTokens(SECRET, 60_000, () => expiry);
    expect(late.verify(token)).toBeNull();
  });

  it('refuses any change to a token it verified and kept', () => {
    const { token } = tokens.issue(user, 'family-1');
    expect(tokens.verify(token)).not.toBeNull();
    for (let i = 0; i < token.length; i++) {
      const changed = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(tokens.verify(changed), `changed at ${i}`).toBeNull();
    }
    expect(tokens.verify(`${token} `)).toBeNull();
    expect(tokens.verify(token)).not.toBeNull();
  });

  it('refuses garbage', () => {
    expect(tokens.verify('not-a-token')).toBeNull();
    expect(tokens.verify('')).toBeNull();
  });
});
