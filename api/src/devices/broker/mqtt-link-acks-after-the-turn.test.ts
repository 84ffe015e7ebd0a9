import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../app/logger.js';
import { apiRoot } from '../../app/paths.js';
import { busyWithoutYielding } from '../../test-support/busy-without-yielding.js';
import { Topics } from '../protocol/topics.js';
import { createMqttLink } from './mqtt-link.js';

/**
 * A lock's answer is verified, stored and announced in promise continuations after mqtt.js emits
 * it; its PUBACK must not take a socket write ahead of that work. The broker is a process of its
 * own that stamps each PUBACK as it arrives, while this process is still busy.
 */
const BUSY_MS = 300;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startBroker(): Promise<{ port: number; nextAck(): Promise<{ ackedAtMs: number }> }> {
  const child = spawn(process.execPath, [join(apiRoot(), 'test', 'fixtures', 'ack-stamping-broker.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => child.kill());
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done === true) throw new Error('the broker process ended');
    return JSON.parse(String(line.value)) as Record<string, unknown>;
  };
  return next().then(({ port }) => ({ port: Number(port), nextAck: () => next() as Promise<{ ackedAtMs: number }> }));
}

/** The link, its broker and a lock on it, with `work` run on each message the link delivers. */
async function linkWithLock(work: () => Promise<number>) {
  const broker = await startBroker();
  const url = `mqtt://127.0.0.1:${broker.port}`;
  const topics = new Topics(`test-${randomUUID()}`);
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const link = createMqttLink({ url, username: 'test-api', password: randomUUID(), topics, log, startTimeoutMs: 5000 });
  cleanups.push(() => link.stop());
  const done: Promise<number>[] = [];
  link.onMessage(() => void done.push(work()));
  await link.start();
  const lock = await connectAsync(url, { clientId: `lock-${randomUUID()}` });
  cleanups.push(() => lock.endAsync(true));
  return { broker, topics, lock, done };
}

describe('MQTT link acknowledging', () => {
  it("sends a QoS 1 message's PUBACK after the work its delivery started, not before", async () => {
    const { broker, topics, lock, done } = await linkWithLock(() => busyWithoutYielding(BUSY_MS).then(() => Date.now()));
    await lock.publishAsync(topics.of('lock-1', 'status'), '{"answer":1}', { qos: 1 });
    const ack = await broker.nextAck();
    expect(done).toHaveLength(1);
    // Flushed on the next tick (mqtt.js's own way), it would reach the broker BUSY_MS before the work ended.
    expect(ack.ackedAtMs).toBeGreaterThanOrEqual((await done[0]!) - 5);
  });

  it("sends it after work that waits for the turn's end too, as a visible change waits for the turn's commit", async () => {
    // store/sqlite/turn-batch.ts commits at setImmediate, and the change is announced right after.
    const atTurnEnd = () => new Promise<void>((resolve) => setImmediate(resolve));
    const { broker, topics, lock, done } = await linkWithLock(() => atTurnEnd().then(() => busyWithoutYielding(BUSY_MS)).then(() => Date.now()));
    await lock.publishAsync(topics.of('lock-1', 'status'), '{"answer":2}', { qos: 1 });
    const ack = await broker.nextAck();
    expect(done).toHaveLength(1);
    // Released at the same setImmediate as the commit, but queued before it, it would arrive BUSY_MS early.
    expect(ack.ackedAtMs).toBeGreaterThanOrEqual((await done[0]!) - 5);
  });
});
