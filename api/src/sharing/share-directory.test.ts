import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../events/memory-event-bus.js';
import type { Store } from '../store/ports.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { eventually } from '../test-support/subscriptions.js';
import { ShareDirectory } from './share-directory.js';

const ALWAYS = { startsAt: null, endsAt: null, weekly: [] };

let dir: string;
let store: Store;
let events: MemoryEventBus;
let directory: ShareDirectory;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smartlock-share-directory-'));
  store = openSqliteStore(join(dir, 'store.db'));
  events = new MemoryEventBus();
  directory = new ShareDirectory({ store, events, log: pino({ level: 'silent' }) });
  directory.start();
  await store.users.create({ username: 'alice', passwordHash: 'x', role: 'USER' });
  await store.users.create({ username: 'bob', passwordHash: 'x', role: 'USER' });
  await store.locks.create({ deviceId: 'front', name: 'Front', owner: 'alice', secretSealed: 's' });
});
afterEach(async () => {
  directory.stop();
  await events.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const share = (deviceId: string) => store.lockShares.put({ id: `share-${deviceId}`, deviceId, guest: 'bob', role: 'GUEST', rule: ALWAYS, createdBy: 'alice', at: new Date() });

describe('the share directory', () => {
  it('reads a person\'s shares once, and again only after a share of theirs changed (from any replica)', async () => {
    expect(await directory.shareOf('bob', 'front')).toBeNull();
    await share('front');
    // Kept: without an event, the store is not read again.
    expect(await directory.shareOf('bob', 'front')).toBeNull();
    events.publish('lock.shareChanged', { deviceId: 'front', guest: 'bob', role: 'GUEST' });
    await eventually(async () => (await directory.shareOf('bob', 'front'))?.role === 'GUEST');
  });

  it('forgets everything on bus.resync (events may have been missed)', async () => {
    expect(await directory.shareOf('bob', 'front')).toBeNull();
    await share('front');
    events.publish('bus.resync', { reason: 'reconnected', at: new Date() });
    await eventually(async () => (await directory.shareOf('bob', 'front')) !== null);
  });

  it('forget() takes effect at once on the replica that made the change', async () => {
    await share('front');
    expect(await directory.shareOf('bob', 'front')).not.toBeNull();
    await store.lockShares.removeByDevice('front');
    directory.forget('bob');
    expect(await directory.shareOf('bob', 'front')).toBeNull();
  });

  it('keeps nothing once stopped', async () => {
    directory.stop();
    expect(await directory.shareOf('bob', 'front')).toBeNull();
    await share('front');
    expect(await directory.shareOf('bob', 'front')).not.toBeNull();
  });
});
