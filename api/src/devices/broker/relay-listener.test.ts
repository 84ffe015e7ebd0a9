/** The embedded broker's relay listener: only the api's token opens it, and the lock's bytes follow the line intact. */
import { once } from 'node:events';
import { createConnection, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../app/logger.js';
import { connectToRelay, createRelayServer } from './relay-listener.js';

const TOKEN = 'a'.repeat(64);
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function relayServer(): Promise<{ port: number; accepted: { socket: Socket; overHttps: boolean }[] }> {
  const accepted: { socket: Socket; overHttps: boolean }[] = [];
  const server = createRelayServer(TOKEN, (socket, overHttps) => accepted.push({ socket, overHttps }), createLogger('silent'));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, accepted };
}

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the relay listener', () => {
  it("hands over the api's connections with their https flag, the lock's first bytes intact", async () => {
    const { port, accepted } = await relayServer();
    const secure = connectToRelay(port, TOKEN, true);
    secure.write(Buffer.from([0x10, 0x02, 0x00, 0x04]));
    const plain = connectToRelay(port, TOKEN, false);
    await waitFor(() => accepted.length === 2);
    const first = accepted.find((a) => a.overHttps);
    expect(accepted.map((a) => a.overHttps).sort()).toEqual([false, true]);
    first?.socket.resume();
    const [bytes] = (await once(first?.socket ?? secure, 'data')) as [Buffer];
    expect([...bytes]).toEqual([0x10, 0x02, 0x00, 0x04]);
    for (const a of accepted) a.socket.destroy();
    secure.destroy();
    plain.destroy();
  });

  it('closes a connection with a wrong token, or with no line, without handing it over', async () => {
    const { port, accepted } = await relayServer();
    const wrong = connectToRelay(port, 'b'.repeat(64), true);
    const garbage = createConnection({ host: '127.0.0.1', port });
    garbage.write(Buffer.alloc(300, 0x10));
    await Promise.all([once(wrong, 'close'), once(garbage, 'close')]);
    expect(accepted).toEqual([]);
  });
});
