/**
 * Issue 9, item 11: the api accepted any Origin whose host equalled the Host header. Under DNS
 * rebinding an attacker's page (http://rebind.example:PORT, its name re-pointed at the api) sends
 * both, so "same host" proves nothing. With ALLOWED_ORIGINS set only the listed origins may use
 * /graphql, over WebSocket and HTTP; in production ALLOWED_ORIGINS must be set (`*` opts out).
 */
import { generateVapidKeys } from '../../src/config/vapid-keys.js';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConfigError, parseConfig } from '../../src/config/config.js';
import { SIGN_UP, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const LISTED = 'https://smartlock.home.example';

let app: TestApp;
let session: AuthResult;
let rebound: { host: string; origin: string };
beforeAll(async () => {
  app = await startTestApp({ ALLOWED_ORIGINS: LISTED });
  session = await signUp(app.httpUrl, 'resident');
  rebound = { host: `rebind.example:${app.port}`, origin: `http://rebind.example:${app.port}` };
});
afterAll(async () => {
  await app.close();
});

/** Opens a graphql-ws socket with these headers; resolves with the first message or the refusal. */
function handshake(headers: Record<string, string>): Promise<{ type?: string; status?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(app.wsUrl, 'graphql-transport-ws', { headers });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${session.accessToken}` } })));
    socket.on('message', (data: Buffer) => {
      resolve({ type: (JSON.parse(data.toString()) as { type: string }).type });
      socket.close();
    });
    socket.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    socket.on('error', () => undefined);
  });
}

/** POSTs a GraphQL operation with exactly these headers (fetch may not set Host). */
function post(headers: Record<string, string>, query: string, variables: Record<string, unknown>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(app.httpUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query, variables }));
  });
}

describe('a rebound page (Origin and Host both the attacker\'s name)', () => {
  it('cannot open the GraphQL WebSocket', async () => {
    expect(await handshake(rebound)).toEqual({ status: 401 });
  });

  it('cannot use GraphQL over HTTP: 403 ORIGIN_NOT_ALLOWED, and nothing is done', async () => {
    const { status, body } = await post(rebound, SIGN_UP, { username: 'rebound', password: 'correct horse battery' });
    expect(status).toBe(403);
    expect((JSON.parse(body) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(await app.services.store.users.findByUsername('rebound')).toBeNull();
  });
});

describe('the listed origin, and clients that are not browsers', () => {
  it('open the WebSocket', async () => {
    expect(await handshake({ origin: LISTED })).toEqual({ type: 'connection_ack' });
    expect(await handshake({})).toEqual({ type: 'connection_ack' });
  });

  it('use GraphQL over HTTP', async () => {
    const listed = await post({ origin: LISTED, host: 'smartlock.home.example' }, SIGN_UP, { username: 'listed', password: 'correct horse battery' });
    expect(listed.status).toBe(200);
    const noOrigin = await post({}, SIGN_UP, { username: 'scripted', password: 'correct horse battery' });
    expect(noOrigin.status).toBe(200);
  });
});

describe('ALLOWED_ORIGINS in the configuration', () => {
  const STRONG = 'a3f1c9e27b5d84f0a6c2e9b1d7f3a5c8e0b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1';
  const vapid = generateVapidKeys();
  const production = { NODE_ENV: 'production', JWT_SECRET: STRONG, SECRETS_KEY: STRONG, VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey, VAPID_SUBJECT: 'mailto:ops@locks.example' };

  it('is required in production, naming the variable, unless set to * (any origin)', () => {
    expect(() => parseConfig(production)).toThrow(ConfigError);
    expect(() => parseConfig(production)).toThrow(/ALLOWED_ORIGINS: is required when NODE_ENV=production/);
    expect(parseConfig({ ...production, ALLOWED_ORIGINS: '*' }).http.allowedOrigins).toEqual([]);
    expect(parseConfig({ ...production, ALLOWED_ORIGINS: LISTED }).http.allowedOrigins).toEqual([LISTED]);
  });

  it('holds origins as browsers send them, and refuses what can never match', () => {
    expect(parseConfig({ ALLOWED_ORIGINS: 'https://App.Example/, http://10.0.0.5:4000' }).http.allowedOrigins).toEqual(['https://app.example', 'http://10.0.0.5:4000']);
    expect(() => parseConfig({ ALLOWED_ORIGINS: 'https://app.example/smartlock' })).toThrow(/ALLOWED_ORIGINS: "https:\/\/app.example\/smartlock" is not an origin/);
    expect(() => parseConfig({ ALLOWED_ORIGINS: 'app.example' })).toThrow(/is not an origin/);
  });
});
