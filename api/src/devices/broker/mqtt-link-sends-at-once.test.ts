import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it, type TestContext } from 'vitest';
import { createLogger } from '../../app/logger.js';
import { busyWithoutYielding } from '../../test-support/busy-without-yielding.js';
import { reachable } from '../../test-support/reachable.js';
import { Topics } from '../protocol/topics.js';
import { createMqttLink } from './mqtt-link.js';

/**
 * A command must be on the wire when publish() returns, not after whatever the caller does next in
 * the same turn (its audit write, its GraphQL answer): mqtt.js leaves each packet in a corked socket
 * until the next tick, which Node runs only after every promise continuation queued meanwhile.
 * The receiver is mosquitto_sub, a process of its own, which stamps each message as it arrives
 * (`-F %U`) while this process is still busy.
 */
const MOSQUITTO = { host: '127.0.0.1', port: 1883 };
const BUSY_MS = 300;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function requireMosquitto(ctx: TestContext): Promise<void> {
  if (await reachable(`mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`)) return;
  if (process.env.CI === 'true') throw new Error('Mosquitto is not reachable at 127.0.0.1:1883 (required on CI)');
  ctx.skip('Mosquitto is not reachable at 127.0.0.1:1883');
}

/** mosquitto_sub on `topic`: each line is "<arrival, Unix seconds> <payload>". */
function subscriber(topic: string): { next(): Promise<{ arrivedMs: number; payload: string }> } {
  const child: ChildProcessWithoutNullStreams = spawn('mosquitto_sub', ['-h', MOSQUITTO.host, '-p', String(MOSQUITTO.port), '-q', '1', '-t', topic, '-F', '%U %p']);
  cleanups.push(() => child.kill());
  const lines: AsyncIterator<string> = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async next() {
      const line = await lines.next();
      if (line.done === true) throw new Error('mosquitto_sub ended');
      const [stamp, ...rest] = line.value.split(' ');
      return { arrivedMs: Number(stamp) * 1000, payload: rest.join(' ') };
    },
  };
}

describe('MQTT link publishing', () => {
  it('puts a command on the wire when publish() returns, before the rest of the caller\'s turn', async (ctx) => {
    await requireMosquitto(ctx);
    const topics = new Topics(`test-${randomUUID()}`);
    const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
    const link = createMqttLink({ url: `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`, username: 'test-api', password: randomUUID(), topics, log, startTimeoutMs: 5000 });
    cleanups.push(() => link.stop());
    await link.start();
    const topic = topics.of('lock-1', 'cmd');
    const lock = subscriber(topic);
    // Until the subscription is live, probes go unheard: send them until one arrives.
    const probing = setInterval(() => void link.publish(topic, 'probe', { qos: 1 }).catch(() => undefined), 100);
    try {
      expect((await lock.next()).payload).toBe('probe');
    } finally {
      clearInterval(probing);
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // late probes arrive and are read below

    const sentMs = Date.now();
    const acknowledged = link.publish(topic, 'unlock', { qos: 1 });
    await busyWithoutYielding(BUSY_MS);
    await acknowledged;
    let arrival = await lock.next();
    while (arrival.payload === 'probe') arrival = await lock.next();
    expect(arrival.payload).toBe('unlock');
    // Left for the next tick, it would arrive after the busy stretch: BUSY_MS or more.
    expect(arrival.arrivedMs - sentMs).toBeLessThan(BUSY_MS / 2);
  });

  it('counts a PUBACK that arrived while this process stalled past the publish timeout', async (ctx) => {
    await requireMosquitto(ctx);
    const topics = new Topics(`test-${randomUUID()}`);
    const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
    const link = createMqttLink({ url: `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`, username: 'test-api', password: randomUUID(), topics, log, startTimeoutMs: 5000, publishTimeoutMs: 200 });
    cleanups.push(() => link.stop());
    await link.start();
    const acknowledged = link.publish(topics.of('lock-1', 'cmd'), 'unlock', { qos: 1 });
    // Mosquitto acks within a millisecond; when this thread is free again, the timeout and the
    // PUBACK are both due. Deciding on the timer first would fail a command the broker took.
    await busyWithoutYielding(1_000);
    await expect(acknowledged).resolves.toBeUndefined();
  });
});
