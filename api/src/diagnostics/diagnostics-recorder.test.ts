import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryEventBus } from '../events/memory-event-bus.js';
import type { Store } from '../store/ports.js';
import type { LockRecord } from '../store/records.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { eventually } from '../test-support/subscriptions.js';
import { DiagnosticsRecorder } from './diagnostics-recorder.js';

const T0 = Date.UTC(2025, 0, 1);
const MIN = 60_000;
const log = pino({ level: 'silent' });

let dir: string;
let store: Store;
let events: MemoryEventBus;
let recorder: DiagnosticsRecorder;
let lock: LockRecord;
let clock = T0;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smartlock-diagnostics-'));
  store = openSqliteStore(join(dir, 'store.db'));
  events = new MemoryEventBus();
  await store.users.create({ username: 'alice', passwordHash: 'h', role: 'USER' });
  lock = await store.locks.create({ deviceId: 'd1', name: 'Front door', owner: 'alice', secretSealed: 's' });
  clock = T0;
  // A long flush interval: the tests flush by hand.
  recorder = new DiagnosticsRecorder({ store, events, log, sampleEveryMs: 10 * MIN, flushMs: 60_000, now: () => clock });
  recorder.start();
});

afterEach(async () => {
  await recorder.stop();
  await events.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const points = () => store.diagnostics.list('d1', new Date(0), 100);

describe('diagnostics recorder', () => {
  it('writes one point for a stretch of heartbeats, then one per interval', async () => {
    for (let s = 0; s < 60; s += 9) recorder.statusAccepted('d1', { boot: 1, battery: 80, rssi: -60, uptime: s }, new Date(T0 + s * 1000));
    recorder.statusAccepted('d1', { boot: 1, battery: 80, rssi: -61, uptime: 600 }, new Date(T0 + 10 * MIN));
    await recorder.flush();
    expect((await points()).map((p) => p.uptime)).toEqual([0, 600]);
  });

  it('records a lock going Unavailable once, whatever made it so, but not a lock never seen', async () => {
    recorder.statusAccepted('d1', { boot: 1, battery: 80, rssi: -60, uptime: 5 }, new Date(T0));
    events.publish('lock.changed', { ...lock, state: 'UNAVAILABLE', lastSeen: null });
    clock = T0 + MIN;
    const offline = { ...lock, state: 'UNAVAILABLE' as const, lastSeen: new Date(T0) };
    events.publish('lock.changed', offline);
    events.publish('lock.changed', offline);
    await eventually(async () => {
      await recorder.flush();
      return (await points()).length === 2;
    });
    expect((await points()).map((p) => [p.online, p.at.getTime()])).toEqual([
      [true, T0],
      [false, T0 + MIN],
    ]);
  });

  it('drops a batch the store refuses, and keeps recording', async () => {
    const append = vi.spyOn(store.diagnostics, 'append').mockRejectedValueOnce(new Error('disk full'));
    recorder.statusAccepted('d1', { boot: 1, battery: 80 }, new Date(T0));
    await recorder.flush();
    recorder.statusAccepted('d1', { boot: 2, battery: 80 }, new Date(T0 + 1000));
    await recorder.flush();
    expect(append).toHaveBeenCalledTimes(2);
    expect((await points()).map((p) => p.boot)).toEqual([2]);
  });
});
