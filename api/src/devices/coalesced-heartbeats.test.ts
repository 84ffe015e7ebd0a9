import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedLock, seedUser } from '../store/contract/contract-context.js';
import type { Store } from '../store/ports.js';
import type { StatusUpdate } from '../store/records.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { CoalescedHeartbeats, HEARTBEAT_CHUNK } from './coalesced-heartbeats.js';

const log = pino({ level: 'silent' });
const LOCKS = HEARTBEAT_CHUNK * 2 + 7;
const SEEN = new Date(Date.UTC(2026, 0, 1));

let dir: string;
let store: Store;
const ids = Array.from({ length: LOCKS }, (_, i) => `hb-${String(i).padStart(3, '0')}`);
const heartbeat = (deviceId: string, seq: number): StatusUpdate => ({ deviceId, boot: 1, seq, patch: { lastSeen: SEEN, rssi: -60, battery: 90 } });
const written = async () => (await store.locks.findByDeviceIds(ids)).filter((lock) => lock.lastSeen?.getTime() === SEEN.getTime()).length;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smartlock-heartbeats-'));
  store = openSqliteStore(join(dir, 'store.db'));
  const owner = await seedUser(store);
  for (const id of ids) await seedLock(store, id, owner.username);
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('coalesced heartbeats', () => {
  it('writes a big batch in chunks and lets other work run between them', async () => {
    const heartbeats = new CoalescedHeartbeats({ store, log, onChunkFailed: () => {} });
    for (const id of ids) heartbeats.set(heartbeat(id, 1));
    const seenBetween: number[] = [];
    const flushed = heartbeats.flush();
    // Work queued now (a command, a subscriber's answer) runs after the first chunk, not the last.
    setImmediate(() => void written().then((n) => seenBetween.push(n)));
    await flushed;
    expect(seenBetween).toEqual([HEARTBEAT_CHUNK]);
    expect(await written()).toBe(LOCKS);
  });

  it('keeps one heartbeat per lock, the newest, and drops one a change replaced', async () => {
    const heartbeats = new CoalescedHeartbeats({ store, log, onChunkFailed: () => {} });
    heartbeats.set(heartbeat(ids[0]!, 1));
    heartbeats.set(heartbeat(ids[0]!, 2));
    heartbeats.set(heartbeat(ids[1]!, 1));
    heartbeats.delete(ids[1]!);
    await heartbeats.flush();
    expect((await store.locks.findByDeviceId(ids[0]!))?.lastSeq).toBe(2);
    expect((await store.locks.findByDeviceId(ids[1]!))?.lastSeen).toBeNull();
  });

  it('queues a chunk that failed again and names its locks, while the other chunks are written', async () => {
    const failing = new Set(ids.slice(HEARTBEAT_CHUNK, HEARTBEAT_CHUNK * 2));
    let broken = true;
    const flaky: Pick<Store, 'locks'> = {
      locks: {
        ...store.locks,
        applyStatuses: (updates) =>
          broken && updates.some((u) => failing.has(u.deviceId)) ? Promise.reject(new Error('disk I/O error')) : store.locks.applyStatuses(updates),
      },
    };
    const failed: string[] = [];
    const heartbeats = new CoalescedHeartbeats({ store: flaky, log, onChunkFailed: (deviceIds) => failed.push(...deviceIds) });
    for (const id of ids) heartbeats.set(heartbeat(id, 1));
    await heartbeats.flush();
    expect(new Set(failed)).toEqual(failing);
    expect(await written()).toBe(LOCKS - failing.size);
    broken = false;
    await heartbeats.flush();
    expect(await written()).toBe(LOCKS);
  });
});
