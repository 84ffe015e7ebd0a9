import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDeadline } from './deadline.js';

let server: Server | undefined;
afterEach(async () => {
  const closing = server;
  server = undefined;
  if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
});

describe('deadline', () => {
  it('runs onMissed once when nothing cleared it, not before its time', async () => {
    const startedAt = Date.now();
    const missed: number[] = [];
    startDeadline(50, () => missed.push(Date.now() - startedAt));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(missed).toHaveLength(1);
    expect(missed[0]).toBeGreaterThanOrEqual(49);
  });

  it('never runs onMissed once cleared', async () => {
    let missed = false;
    startDeadline(20, () => (missed = true)).clear();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(missed).toBe(false);
  });

  it('lets an answer that arrived during a stall past its time clear it first', async () => {
    const accepted = new Promise<Socket>((resolve) => (server = createServer(resolve)));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const socket = connect((server!.address() as AddressInfo).port, '127.0.0.1');
    const peer = await accepted;
    const outcome = await new Promise<string>((resolve) => {
      const deadline = startDeadline(50, () => resolve('missed'));
      socket.once('data', () => {
        deadline.clear();
        resolve('answered');
      });
      peer.write('answer'); // in this socket's kernel buffer before the stall below
      const until = Date.now() + 300;
      while (Date.now() < until) {
        /* a synchronous stall past the deadline */
      }
    });
    socket.destroy();
    peer.destroy();
    expect(outcome).toBe('answered');
  });
});
