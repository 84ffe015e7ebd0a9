import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signUp, wsClient, wsQuery, type AuthResult } from '../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let session: AuthResult;
beforeAll(async () => {
  app = await startTestApp({ ALLOWED_ORIGINS: 'https://app.example' });
  session = await signUp(app.httpUrl, 'socket');
});
afterAll(async () => {
  await app.close();
});

/** Opens a raw graphql-ws socket, sends connection_init, resolves with the first message or the close. */
function handshake(url: string, payload: object, origin?: string): Promise<{ type?: string; closeCode?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', origin ? { headers: { origin } } : {});
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.on('message', (data: Buffer) => {
      resolve({ type: (JSON.parse(data.toString()) as { type: string }).type });
      socket.close();
    });
    socket.on('close', (code) => resolve({ closeCode: code }));
    socket.on('unexpected-response', (_req, res) => resolve({ closeCode: res.statusCode }));
    socket.on('error', () => undefined);
  });
}

describe('GraphQL over WebSocket', () => {
  it('accepts a socket with a valid token in connectionParams.authorization', async () => {
    expect(await handshake(app.wsUrl, { authorization: `Bearer ${session.accessToken}` })).toEqual({ type: 'connection_ack' });
  });

  it('closes a socket with no token or a bad token with 4403', async () => {
    expect(await handshake(app.wsUrl, {})).toEqual({ closeCode: 4403 });
    expect(await handshake(app.wsUrl, { authorization: 'Bearer nope' })).toEqual({ closeCode: 4403 });
    expect(await handshake(app.wsUrl, { authorization: session.refreshToken })).toEqual({ closeCode: 4403 });
  });

  it('runs operations as the signed-in user', async () => {
    const client = wsClient(app.wsUrl, session.accessToken);
    const result = await wsQuery<{ me: { username: string } }>(client, '{ me { username } }');
    expect(result.data?.me.username).toBe('socket');
    await client.dispose();
  });

  it('refuses unknown Origins when ALLOWED_ORIGINS is set, and accepts listed ones', async () => {
    const auth = { authorization: `Bearer ${session.accessToken}` };
    expect(await handshake(app.wsUrl, auth, 'https://evil.example')).toEqual({ closeCode: 401 });
    expect(await handshake(app.wsUrl, auth, 'https://app.example')).toEqual({ type: 'connection_ack' });
    // The api's own address is not implied (DNS rebinding): see test/security/websocket-origin-rebinding.test.ts.
    expect(await handshake(app.wsUrl, auth, `http://127.0.0.1:${app.port}`)).toEqual({ closeCode: 401 });
  });

  it('closes the socket of a user who signed out everywhere at their next operation', async () => {
    const user = await signUp(app.httpUrl, 'socket-out');
    const client = wsClient(app.wsUrl, user.accessToken, { lazy: false });
    expect((await wsQuery<{ me: { username: string } }>(client, '{ me { username } }')).data?.me.username).toBe('socket-out');
    await app.services.store.users.bumpTokenVersion(user.user.id);
    await expect(wsQuery(client, '{ me { username } }')).rejects.toMatchObject({ code: 4401 });
    await client.dispose();
  });
});

describe('WebSocket token expiry', () => {
  it('closes the socket with 4401 when the access token expires', async () => {
    const shortLived = await startTestApp({ ACCESS_TOKEN_TTL: '1s' });
    try {
      const user = await signUp(shortLived.httpUrl, 'brief');
      const closed = await new Promise<number>((resolve) => {
        const socket = new WebSocket(shortLived.wsUrl, 'graphql-transport-ws');
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${user.accessToken}` } })));
        socket.on('close', (code) => resolve(code));
      });
      expect(closed).toBe(4401);
    } finally {
      await shortLived.close();
    }
  });
});
