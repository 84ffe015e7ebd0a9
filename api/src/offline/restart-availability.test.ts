import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../app/logger.js';
import { AuditService } from '../audit/audit.service.js';
import type { AppEvents } from '../events/events.js';
import { followEvents } from '../events/follow-events.js';
import { MemoryEventBus } from '../events/memory-event-bus.js';
import type { Store } from '../store/ports.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { markLocksUnreachableAfterRestart, SERVER_RESTARTED } from './restart-availability.js';

const log = createLogger('silent');
let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smartlock-restart-'));
  store = openSqliteStore(join(dir, 'store.db'));
  await store.users.create({ username: 'alice', passwordHash: 'hash', role: 'USER' });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function seed(deviceId: string, state: 'AVAILABLE' | 'UNAVAILABLE', issue: string | null = null): Promise<void> {
  await store.locks.create({ deviceId, name: deviceId, owner: 'alice', secretSealed: `sealed-${deviceId}` });
  await store.locks.update(deviceId, { state, issue, status: 'LOCKED', lastSeen: new Date() });
}

describe('markLocksUnreachableAfterRestart', () => {
  it('marks every AVAILABLE lock, batch after batch, with an audit entry and an event each', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) await seed(id, 'AVAILABLE');
    await seed('gone', 'UNAVAILABLE', 'No heartbeat');
    const events = new MemoryEventBus();
    const audit = new AuditService(store.audit, log);
    const changed: AppEvents['lock.changed'][] = [];
    const unfollow = followEvents(events, ['lock.changed'], (lock) => void changed.push(lock));

    const marked = await markLocksUnreachableAfterRestart({ store, audit, events, log, batchSize: 2 });

    expect(marked).toBe(5);
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      expect(await store.locks.findByDeviceId(id)).toMatchObject({ state: 'UNAVAILABLE', issue: SERVER_RESTARTED, status: 'LOCKED' });
    }
    expect(await store.locks.findByDeviceId('gone')).toMatchObject({ state: 'UNAVAILABLE', issue: 'No heartbeat' });
    const entries = await store.audit.query({ action: 'lock.offline' }, { first: 10 });
    expect(entries.items.map((e) => [e.deviceId, e.actor, e.detail]).sort()).toEqual(['a', 'b', 'c', 'd', 'e'].map((id) => [id, null, SERVER_RESTARTED]));
    await expect.poll(() => changed.map((lock) => lock.deviceId).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    await unfollow();
  });

  it('changes nothing when no lock is AVAILABLE', async () => {
    await seed('gone', 'UNAVAILABLE', 'Connection lost');
    const audit = new AuditService(store.audit, log);
    expect(await markLocksUnreachableAfterRestart({ store, audit, events: new MemoryEventBus(), log })).toBe(0);
    expect(await store.locks.findByDeviceId('gone')).toMatchObject({ issue: 'Connection lost' });
    expect((await store.audit.query({}, { first: 10 })).items).toEqual([]);
  });
});
