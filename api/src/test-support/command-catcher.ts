/**
 * A raw lock's view of its cmd topic for tests about what actually went out:
 * every signed command it receives, and a way to ack one with a signed status.
 */
import type { MqttClient } from 'mqtt';
import type { AckMessage, CommandMessage } from '../devices/protocol/messages.js';
import { verifyCommand } from '../devices/protocol/verify.js';
import type { Topics } from '../devices/protocol/topics.js';
import type { Registered } from './locks.js';
import { publishStatus, signedStatus } from './raw-lock.js';

export interface Received {
  cmd: CommandMessage;
  /** The exact bytes, to deliver again later (a held-back command). */
  payload: Buffer;
}

export interface CommandCatcher {
  received: Received[];
  /** Resolves once at least `count` commands have arrived, or rejects after `timeoutMs`. */
  waitForCount(count: number, timeoutMs?: number): Promise<Received[]>;
  /** Publishes a signed status (seq `seq`, counter `ctr`) carrying an ack for `id`. */
  ack(seq: number, ctr: number, ack: AckMessage): Promise<unknown>;
}

export async function catchCommands(app: { topics: Topics }, client: MqttClient, lock: Registered): Promise<CommandCatcher> {
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const key = Buffer.from(lock.deviceSecret, 'hex');
  client.on('message', (topic, payload) => {
    if (topic !== app.topics.of(lock.deviceId, 'cmd')) return;
    const verified = verifyCommand(key, payload.toString('utf8'), lock.deviceId);
    if (verified.verdict !== 'valid') return; // time messages and anything unsigned
    received.push({ cmd: verified.message, payload });
    for (const wake of waiters) wake();
  });
  await client.subscribeAsync(app.topics.of(lock.deviceId, 'cmd'), { qos: 1 });
  return {
    received,
    waitForCount(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(received);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`only ${received.length} of ${count} commands arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    ack(seq, ctr, ack) {
      const status = ack.result === 'ok' ? 'UNLOCKED' : 'LOCKED';
      return publishStatus(app, client, lock, signedStatus(lock, { seq, ctr, status, ack }));
    },
  };
}
