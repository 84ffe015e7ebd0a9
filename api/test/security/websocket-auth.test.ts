/**
 * Attack: open a GraphQL WebSocket (live lock events) without a valid access
 * token: none, forged, expired, revoked, a refresh token, or one put where the
 * server does not read it; or keep a socket past its token's expiry.
 * Defence: onConnect verifies connectionParams.authorization like HTTP does
 * (4403 otherwise); the socket closes with 4401 when its token expires.
 */
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';
import { accessClaims, base64url, jwtSecretOf, signAccessToken } from './attack-kit.js';

let app: TestApp;
let session: AuthResult;
beforeAll(async () => {
  app = await startTestApp();
  session = await signUp(app.httpUrl, 'socket-attacker');
});
afterAll(async () => {
  await app.close();
});

type Outcome = { acked: true } | { closeCode: number };

interface Attempt {
  /** connection_init payload; undefined sends no connection_init at all and subscribes straight away. */
  init?: unknown;
  url?: string;
  headers?: Record<string, string>;
}

/** A raw graphql-ws socket: resolves with connection_ack or the close code. */
function open({ init, url = app.wsUrl, headers = {} }: Attempt): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    socket.on('open', () => {
      if (init === undefined) socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { lockChanged { deviceId } }' } }));
      else socket.send(JSON.stringify({ type: 'connection_init', payload: init }));
    });
    socket.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString()) as { type: string }).type === 'connection_ack') {
        resolve({ acked: true });
        socket.close();
      }
    });
    socket.on('close', (code) => resolve({ closeCode: code }));
    socket.on('error', () => undefined);
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('WebSocket without a valid token is closed with 4403', () => {
  it('acks a socket with a valid access token (the control case)', async () => {
    expect(await open({ init: bearer(session.accessToken) })).toEqual({ acked: true });
  });

  it.each<[string, () => Attempt]>([
    ['no connectionParams', () => ({ init: {} })],
    ['an empty authorization', () => ({ init: { authorization: '' } })],
    ['a non-string authorization', () => ({ init: { authorization: { token: session.accessToken } } })],
    ['a bare token without "Bearer"', () => ({ init: { authorization: 'x'.repeat(10) } })],
    ['an expired token', () => ({ init: bearer(signAccessToken(app, session.user.id, { ttlS: -5 })) })],
    ['alg none', () => ({ init: bearer(`${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(accessClaims(session.user.id))}.`) })],
    ['a wrong key', () => ({ init: bearer(signAccessToken(app, session.user.id, { key: `${jwtSecretOf(app)}-guess` })) })],
    ['HS512 with the right key', () => ({ init: bearer(signAccessToken(app, session.user.id, { algorithm: 'HS512' })) })],
    ['a refresh token', () => ({ init: bearer(session.refreshToken) })],
    ['the token in the URL instead of connectionParams', () => ({ init: {}, url: `${app.wsUrl}?token=${session.accessToken}&authorization=Bearer%20${session.accessToken}` })],
    ['the token in the upgrade request\'s Authorization header instead', () => ({ init: {}, headers: { authorization: `Bearer ${session.accessToken}` } })],
  ])('refuses %s', async (_name, attempt) => {
    expect(await open(attempt())).toEqual({ closeCode: 4403 });
  });

  it('refuses a token revoked by "sign out everywhere"', async () => {
    const user = await signUp(app.httpUrl, 'socket-revoked');
    await app.services.store.users.bumpTokenVersion(user.user.id);
    expect(await open({ init: bearer(user.accessToken) })).toEqual({ closeCode: 4403 });
  });

  it('closes a socket that subscribes without connection_init with 4401', async () => {
    expect(await open({})).toEqual({ closeCode: 4401 });
  });
});

describe('WebSocket with a token that expires while open', () => {
  it('closes the socket with 4401 when the token expires', async () => {
    // exp is in whole seconds: this token expires within the next 1–2 s.
    const now = Math.floor(Date.now() / 1000);
    const token = jwt.sign({ ...accessClaims(session.user.id), exp: now + 2 }, jwtSecretOf(app), { algorithm: 'HS256' });
    const closed = await new Promise<{ acked: boolean; code: number; afterMs: number }>((resolve) => {
      let acked = false;
      const socket = new WebSocket(app.wsUrl, 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: bearer(token) })));
      socket.on('message', (data: Buffer) => {
        acked ||= (JSON.parse(data.toString()) as { type: string }).type === 'connection_ack';
      });
      socket.on('close', (code) => resolve({ acked, code, afterMs: Date.now() - (now + 2) * 1000 }));
      // A deadline, not a wait: fail in seconds rather than at the test timeout if it never closes.
      setTimeout(() => resolve({ acked, code: -1, afterMs: Infinity }), 5000).unref();
    });
    expect(closed.acked).toBe(true); // it was valid when it connected
    expect(closed.code).toBe(4401);
    expect(closed.afterMs).toBeGreaterThanOrEqual(-50); // not before its expiry
  });
});
