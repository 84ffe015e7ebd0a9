/**
 * The offline sweep must tell the api's own overload from a lock's silence
 * (issue 8, B4): real SQLite store, the real overload control, a fake clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../app/logger.js';
import { Topics } from '../devices/protocol/topics.js';
import type { EventBus } from '../events/events.js';
import { MemoryEventBus } from '../events/memory-event-bus.js';
import { Metrics } from '../observability/metrics.js';
import { OverloadControl } from '../overload/overload-control.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/ports.js';
import type { LockRecord } from '../store/records.js';
import { createOfflineSweep } from './offline-sweep.js';

const OFFLINE_AFTER_MS = 30_000;
const T0 = Date.UTC(2026, 0, 1);
const topics = new Topics('sweep-overload');

let dir: string;
let store: Store;
let events: EventBus;
let clock: number;
let overload: OverloadControl;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smartlock-sweep-overload-'));
  store = await openStore({ sqliteFile: join(dir, 'test.db') });
  events = new MemoryEventBus();
  clock = T0;
  overload = new OverloadControl({ topics, metrics: new Metrics(), lagThresholdMs: 200, holdMs: 1000, now: () => clock });
  await store.users.create({ username: 'owner', passwordHash: 'x', role: 'USER' });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function availableLock(deviceId: string, lastSeen: number): Promise<LockRecord> {
  await store.locks.create({ deviceId, name: deviceId, owner: 'owner', secretSealed: 'sealed' });
  const lock = await store.locks.applyStatus({ deviceId, boot: 1, seq: 1, patch: { state: 'AVAILABLE', status: 'LOCKED', lastSeen: new Date(lastSeen), power: 'MAINS' } });
  if (!lock) throw new Error('applyStatus refused the first status');
  return lock;
}

function sweep() {
  return createOfflineSweep({
    store,
    flushHeartbeats: () => Promise.resolve(),
    commands: { expireOverdue: () => Promise.resolve(0) } as never,
    audit: { record: () => Promise.resolve() } as never,
    events,
    offlineAfterMs: OFFLINE_AFTER_MS,
    liveness: overload.liveness,
    log: createLogger('silent'),
    now: () => clock,
  });
}

const stateOf = async (deviceId: string) => (await store.locks.findByDeviceId(deviceId))?.state;

/** A heartbeat repeating the lock's accepted state, as the lock would publish it (unsigned part is all the shedder reads). */
function heartbeat(lock: LockRecord, seq: number): Buffer {
  return Buffer.from(JSON.stringify({ v: 1, type: 'status', dev: lock.deviceId, boot: 1, seq, status: lock.status, ctr: 0, ts: 0, power: 'MAINS', sig: '0'.repeat(64) }));
}

describe('offline sweep under overload', () => {
  it('does not count the time the api itself was stuck as a lock\'s silence', async () => {
    await availableLock('lock-a', T0);
    // The event loop was stuck for 20 s (nothing was read from any socket), reported at T0 + 25 s.
    clock = T0 + 25_000;
    overload.monitor.record(20_000);
    clock = T0 + 40_000; // 40 s since the last accepted status, but 20 of them the api was deaf
    await sweep()();
    expect(await stateOf('lock-a')).toBe('AVAILABLE');
  });

  it('still declares a lock offline once its silence exceeds the deadline plus the overload', async () => {
    await availableLock('lock-a', T0);
    clock = T0 + 25_000;
    overload.monitor.record(20_000);
    clock = T0 + 51_000; // 30 s deadline + ~21 s overloaded (20 s stuck + 1 s hold) < 51 s
    await sweep()();
    expect(await stateOf('lock-a')).toBe('UNAVAILABLE');
  });

  it('does not declare a lock offline whose heartbeats were shed unverified', async () => {
    const lock = await availableLock('lock-a', T0);
    const silent = await availableLock('lock-b', T0);
    overload.attachIngest({ known: (id) => (id === lock.deviceId ? lock : id === silent.deviceId ? silent : undefined), backlog: 0 });
    // Overloaded (short stalls only): lock-a keeps sending heartbeats, which are shed.
    for (let t = T0 + 1000; t <= T0 + 45_000; t += 1000) {
      clock = t;
      overload.monitor.record(300);
      // (the first one passes to the ingest: the shedder had not seen this lock's previous status)
      expect(overload.shedder.shed(topics.of(lock.deviceId, 'status'), heartbeat(lock, t - T0))).toBe(t > T0 + 1000);
    }
    // The overload ended at ~T0 + 46 s; 20 s later the deadline is 30 s + 11 s of overload in the window.
    clock = T0 + 66_000;
    await sweep()();
    expect(await stateOf('lock-a')).toBe('AVAILABLE');
    // lock-b sent nothing: 66 s of silence is past the deadline even with the grace.
    expect(await stateOf('lock-b')).toBe('UNAVAILABLE');
  });
});
