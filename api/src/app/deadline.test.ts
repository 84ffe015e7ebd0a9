import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { busyWithoutYielding } from '../test-support/busy-without-yielding.js';
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
    const outcomes: string[] = [];
    const deadline = startDeadline(50, () => outcomes.push('missed'));
    socket.once('data', () => {
      deadline.clear();
      outcomes.push('answered');
    });
    peer.write('answer'); // in this socket's kernel buffer before the stall below
    await busyWithoutYielding(300); // past the deadline
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    peer.destroy();
    expect(outcomes).toEqual(['answered']);
  });
});
