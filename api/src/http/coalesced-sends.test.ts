/** coalesceSends (issue 17, item 4): a socket's messages of one event-loop turn leave in one write, all of them, in order. */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { coalesceSends } from './coalesced-sends.js';

let server: Server | undefined;
let client: WebSocket | undefined;
afterEach(async () => {
  client?.terminate();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

/** A real ws server on loopback; resolves with the server side of one connection, its raw socket's write count, and the client. */
async function connection(coalesce: boolean) {
  const wss = new WebSocketServer({ noServer: true });
  server = createServer();
  const accepted = new Promise<{ ws: WebSocket; writes: () => number }>((resolve) => {
    server!.on('upgrade', (req, socket: Duplex, head) => {
      let writes = 0;
      // Count what reaches the socket's own write functions: one call per write to the kernel.
      const raw = socket as Duplex & { _write: (...a: unknown[]) => void; _writev?: (...a: unknown[]) => void };
      const write = raw._write.bind(raw);
      raw._write = (...a: unknown[]) => ((writes += 1), write(...a));
      const writev = raw._writev?.bind(raw);
      if (writev) raw._writev = (...a: unknown[]) => ((writes += 1), writev(...a));
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (coalesce) coalesceSends(ws, socket);
        resolve({ ws, writes: () => writes });
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const received: string[] = [];
  client.on('message', (data: Buffer) => received.push(data.toString()));
  await once(client, 'open');
  return { ...(await accepted), received };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('coalesceSends', () => {
  it("sends one turn's messages in one write, all of them and in order, and a later message in a later write", async () => {
    const { ws, writes, received } = await connection(true);
    const before = writes();
    const messages = Array.from({ length: 200 }, (_, i) => `{"id":"1","type":"next","payload":${i}}`);
    for (const m of messages) ws.send(m);
    await until(() => received.length === 200);
    expect(received).toEqual(messages);
    expect(writes() - before).toBe(1);
    ws.send('later');
    await until(() => received.length === 201);
    expect(received.at(-1)).toBe('later');
    expect(writes() - before).toBe(2);
  });

  it('without it, ws writes each message on its own (what the test above guards against)', async () => {
    const { ws, writes, received } = await connection(false);
    const before = writes();
    for (let i = 0; i < 50; i += 1) ws.send(`m${i}`);
    await until(() => received.length === 50);
    expect(writes() - before).toBeGreaterThan(10);
  });

  it('lets a close after sends go out with them', async () => {
    const { ws, received } = await connection(true);
    ws.send('last words');
    ws.close(1001, 'bye');
    const [code] = (await once(client!, 'close')) as [number];
    expect(received).toEqual(['last words']);
    expect(code).toBe(1001);
  });
});
