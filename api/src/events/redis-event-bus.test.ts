import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../test-support/subscriptions.js';
import type { LockRecord } from '../store/records.js';
import type { AppEventName, AppEvents } from './events.js';
import { RedisEventBus, type EventBusFailure, type Refreshers } from './redis-event-bus.js';

const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = pino({ level: 'silent' });

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 8, 0, s));
/**
 * A lock row with every Date field set (an ingest caching a string there would break), a nested one
 * (alerts), and a name that is an ISO date (a person may name a lock so).
 */
const LOCK_ROW: LockRecord = {
  deviceId: 'front-door', name: '2026-12-01T08:00:00.000Z', owner: 'owner', status: 'UNLOCKED', state: 'AVAILABLE', issue: null, battery: 80, power: 'BATTERY',
  heartbeatS: null, rssi: -60, firmware: '1.0.0', secretSealed: 'sealed', commandCounter: 3, lastBoot: 2, lastSeq: 10, lastTs: 1_796_000_000,
  protocolVersion: 2, protocolBoot: 2, tlsRequired: false, rekeyId: 'rk-1', secretPendingSealed: 'pending', secretPreviousSealed: null,
  door: 'OPEN', boltMotion: null, lastChangeSource: 'REMOTE', lastChangedBy: 'c-1', alertDoorAjarMinutes: 10, alertUnlockedMinutes: 30, timeZone: 'UTC',
  lastSeen: at(1), rekeyStartedAt: at(2), lastChangedAt: at(3), doorOpenSince: at(4), unlockedSince: at(5), createdAt: at(6), updatedAt: at(7),
  alerts: [{ kind: 'DOOR_AJAR', since: at(8) }],
};

const row = (lastSeq: number, status: LockRecord['status']): LockRecord => ({ ...LOCK_ROW, lastSeq, status });

/** Everything a bus delivers for one event name, in order. */
function record<K extends AppEventName>(bus: RedisEventBus, name: K): AppEvents[K][] {
  const seen: AppEvents[K][] = [];
  void (async () => {
    for await (const event of bus.subscribe(name)) seen.push(event);
  })();
  return seen;
}

describe('RedisEventBus', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  });

  async function replica(url: string, prefix: string, failures: EventBusFailure[] = [], logger = log, refresh: Refreshers = {}) {
    const publisher = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    publisher.on('error', () => undefined);
    await publisher.connect();
    const bus = await RedisEventBus.connect(publisher, prefix, logger, { onFailure: (kind) => failures.push(kind), refresh });
    cleanup.push(async () => {
      await bus.close();
      publisher.disconnect();
    });
    return { bus, publisher };
  }

  it('delivers an event once on the replica that published it, and once on the others', async () => {
    const prefix = `test-${randomUUID()}:events:`;
    const a = await replica(SHARED_REDIS_URL, prefix);
    const b = await replica(SHARED_REDIS_URL, prefix);
    const onA = record(a.bus, 'lock.removed');
    const onB = record(b.bus, 'lock.removed');
    a.bus.publish('lock.removed', { deviceId: 'x', owner: 'o' });
    await eventually(() => Promise.resolve(onB.length === 1));
    // Redis sends messages to a connection in the order it took the PUBLISHes: once A hears B's
    // fence, any echo of A's own event would have come before it.
    b.bus.publish('lock.removed', { deviceId: 'fence', owner: 'o' });
    await eventually(() => Promise.resolve(onA.some((e) => e.deviceId === 'fence')));
    expect(onA.map((e) => e.deviceId)).toEqual(['x', 'fence']);
    expect(onB.map((e) => e.deviceId)).toEqual(['x', 'fence']);
  });

  it("brings every Date of a payload back as a Date, wherever it sits, and leaves strings that look like dates alone", async () => {
    const prefix = `test-${randomUUID()}:events:`;
    const a = await replica(SHARED_REDIS_URL, prefix);
    const b = await replica(SHARED_REDIS_URL, prefix);
    const onB = record(b.bus, 'lock.changed');
    const lock = LOCK_ROW;
    a.bus.publish('lock.changed', lock);
    const [received] = await eventually(() => Promise.resolve(onB.length === 1 ? onB : null));
    expect(received).toEqual(lock);
    expect(received?.lastChangedAt).toBeInstanceOf(Date);
    expect(received?.name).toBe('2026-12-01T08:00:00.000Z');
  });

  it("hands on another replica's lock row as the store has it when the event arrives, not an older one", async () => {
    const prefix = `test-${randomUUID()}:events:`;
    // What B's store holds when B reads.
    const stored = new Map<string, LockRecord>([['front-door', row(2, 'LOCKED')]]);
    const a = await replica(SHARED_REDIS_URL, prefix);
    const b = await replica(SHARED_REDIS_URL, prefix, [], log, { 'lock.changed': (lock) => Promise.resolve(stored.get(lock.deviceId) ?? null) });
    const onB = record(b.bus, 'lock.changed');
    // A wrote seq 1 (UNLOCKED), seq 2 (LOCKED) was written since, and A's event about seq 1 went out late.
    a.bus.publish('lock.changed', row(1, 'UNLOCKED'));
    a.bus.publish('lock.changed', { ...row(1, 'UNLOCKED'), deviceId: 'removed-door' }); // gone from the store: not handed on
    a.bus.publish('lock.changed', { ...row(1, 'UNLOCKED'), deviceId: 'fence' });
    stored.set('fence', { ...row(1, 'UNLOCKED'), deviceId: 'fence' });
    await eventually(() => Promise.resolve(onB.some((lock) => lock.deviceId === 'fence')));
    expect(onB.map((lock) => [lock.deviceId, lock.lastSeq, lock.status])).toEqual([
      ['front-door', 2, 'LOCKED'],
      ['fence', 1, 'UNLOCKED'],
    ]);
  });

  it("re-reads one lock's events in the order they arrived: a slow read is not overtaken by a later one", async () => {
    const prefix = `test-${randomUUID()}:events:`;
    const stored = new Map<string, LockRecord>([['front-door', row(1, 'UNLOCKED')]]);
    const a = await replica(SHARED_REDIS_URL, prefix);
    const b = await replica(SHARED_REDIS_URL, prefix, [], log, {
      'lock.changed': async (lock) => {
        const seen = stored.get(lock.deviceId) ?? null;
        if (lock.lastSeq === 1) {
          stored.set(lock.deviceId, row(2, 'LOCKED')); // a newer write lands while this read is slow
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
        return seen;
      },
    });
    const onB = record(b.bus, 'lock.changed');
    a.bus.publish('lock.changed', row(1, 'UNLOCKED'));
    a.bus.publish('lock.changed', row(2, 'LOCKED'));
    await eventually(() => Promise.resolve(onB.length === 2));
    expect(onB.map((lock) => [lock.lastSeq, lock.status])).toEqual([
      [1, 'UNLOCKED'],
      [2, 'LOCKED'],
    ]);
  });

  it('tells the other replicas to resync once a replica whose publishes failed can publish again', async () => {
    const prefix = `test-${randomUUID()}:events:`;
    const failures: EventBusFailure[] = [];
    const warnings: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line) as Record<string, unknown>) });
    const a = await replica(SHARED_REDIS_URL, prefix, failures, logger);
    const b = await replica(SHARED_REDIS_URL, prefix);
    const locallyOnA = record(a.bus, 'lock.removed');
    const onB = record(b.bus, 'lock.removed');
    const resyncsOnA = record(a.bus, 'bus.resync');
    const resyncsOnB = record(b.bus, 'bus.resync');
    // Only A's publishing connection goes (B stays subscribed, so it has no reconnection of its own
    // to notice): without a word from A, B's clients would never learn what they missed.
    a.publisher.disconnect();
    a.bus.publish('lock.removed', { deviceId: 'lost-on-b', owner: 'o' });
    await eventually(() => Promise.resolve(failures.includes('publish') && locallyOnA.length === 1));
    expect(warnings.map((w) => [w.event, w.msg])).toContainEqual(['lock.removed', 'an event did not reach the other replicas (redis publish failed)']);
    // The publish can fail before ioredis has handled the closed socket (it still says "ready"
    // then, and refuses to connect): reconnect once it has ended the connection.
    await eventually(() => Promise.resolve(a.publisher.status === 'end'));
    await a.publisher.connect();
    const fromA = await eventually(() => Promise.resolve(resyncsOnB.find((e) => e.reason === 'publish_failed')));
    expect(fromA.at).toBeInstanceOf(Date);
    expect(onB).toEqual([]);
    // A's own subscribers had the event: A does not tell them to resync (fenced as above).
    b.bus.publish('lock.removed', { deviceId: 'fence', owner: 'o' });
    await eventually(() => Promise.resolve(locallyOnA.some((e) => e.deviceId === 'fence')));
    expect(resyncsOnA).toEqual([]);
  });
});
