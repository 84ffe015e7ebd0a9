/**
 * The /mqtt relay on its own: https-only refuses plain upgrades before switching protocols (a
 * lock's password would cross in clear text), and which requests count as https.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { connect as connectTcp } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createLogger } from '../app/logger.js';
import { arrivedOverHttps, createMqttWebSocket } from './mqtt-websocket.js';

const log = createLogger('silent');
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** An echoing "broker" and an HTTP server relaying /mqtt to it; records each relay's `overHttps`. */
async function relayToEcho(httpsOnly: boolean, proxyHops: number): Promise<{ url: string; relayed: boolean[] }> {
  const echo = createTcpServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const relayed: boolean[] = [];
  const relay = createMqttWebSocket({
    openRelayed: (overHttps) => {
      relayed.push(overHttps);
      return connectTcp({ host: '127.0.0.1', port: (echo.address() as AddressInfo).port });
    },
    httpsOnly,
    proxyHops,
    log,
  });
  const server: Server = createHttpServer();
  server.on('upgrade', (req, socket, head) => relay.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    relay.stop();
    server.close();
    echo.close();
  });
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/mqtt`, relayed };
}

/** Opens a WebSocket and sends one frame; resolves with what comes back, or the refusal's HTTP status. */
function roundTrip(url: string, headers: Record<string, string> = {}): Promise<{ echoed?: string; status?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'mqtt', { headers });
    ws.once('open', () => ws.send(Buffer.from('\x10 hello')));
    ws.once('message', (data: Buffer) => {
      ws.close();
      resolve({ echoed: data.toString() });
    });
    ws.once('unexpected-response', (_req, response: IncomingMessage) => resolve({ status: response.statusCode }));
    ws.once('error', reject);
  });
}

describe('the /mqtt relay', () => {
  it('relays bytes both ways', async () => {
    const { url, relayed } = await relayToEcho(false, 0);
    expect(await roundTrip(url)).toEqual({ echoed: '\x10 hello' });
    expect(relayed).toEqual([false]);
  });

  it('https-only (production) refuses a plain upgrade with 403 and opens nothing to the broker', async () => {
    const { url, relayed } = await relayToEcho(true, 1);
    expect(await roundTrip(url)).toEqual({ status: 403 });
    expect(await roundTrip(url, { 'x-forwarded-proto': 'http' })).toEqual({ status: 403 });
    expect(relayed).toEqual([]);
    expect(await roundTrip(url, { 'x-forwarded-proto': 'https' })).toEqual({ echoed: '\x10 hello' });
    expect(relayed).toEqual([true]);
  });

  it('https-only without a trusted proxy refuses even a request claiming https', async () => {
    const { url } = await relayToEcho(true, 0);
    expect(await roundTrip(url, { 'x-forwarded-proto': 'https' })).toEqual({ status: 403 });
  });
});

describe('arrivedOverHttps', () => {
  const req = (headers: Record<string, string | string[]>, encrypted = false) => ({ headers, socket: { encrypted } as unknown as Socket }) as unknown as IncomingMessage;

  it("believes its own TLS socket, and a trusted proxy's first X-Forwarded-Proto only", () => {
    expect(arrivedOverHttps(req({}, true), 0)).toBe(true);
    expect(arrivedOverHttps(req({ 'x-forwarded-proto': 'https' }), 0)).toBe(false);
    expect(arrivedOverHttps(req({ 'x-forwarded-proto': 'https' }), 1)).toBe(true);
    expect(arrivedOverHttps(req({ 'x-forwarded-proto': 'HTTPS, http' }), 2)).toBe(true);
    expect(arrivedOverHttps(req({ 'x-forwarded-proto': 'http, https' }), 2)).toBe(false);
    expect(arrivedOverHttps(req({}), 1)).toBe(false);
  });
});
