/** LockAlerts against a real SQLite store: the notifier hook hears each raise once, and a failing one does not undo it. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../app/logger.js';
import { AuditService } from '../audit/audit.service.js';
import { MemoryEventBus } from '../events/memory-event-bus.js';
import type { Store } from '../store/ports.js';
import type { LockAlert, LockRecord } from '../store/records.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { LockAlerts } from './lock-alerts.js';

const T = Date.UTC(2026, 0, 1);
let dir: string;
let store: Store;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smartlock-alerts-'));
  store = openSqliteStore(join(dir, 'store.db'));
  await store.users.create({ username: 'alice', passwordHash: 'h', role: 'USER' });
  await store.locks.create({ deviceId: 'd1', name: 'Front', owner: 'alice', secretSealed: 's' });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function alertsWith(raised: (lock: LockRecord, alert: LockAlert) => Promise<void>): LockAlerts {
  const log = createLogger('silent');
  return new LockAlerts({ store, audit: new AuditService(store.audit, log), events: new MemoryEventBus(), log, badSignatureWindowMs: 60_000, notifier: { raised }, now: () => T });
}

describe('LockAlerts', () => {
  it('tells the notifier once per raised alert, and keeps the alert when the notifier fails', async () => {
    const heard: string[] = [];
    const alerts = alertsWith(async (_lock, alert) => {
      heard.push(alert.kind);
      throw new Error('push service down');
    });
    const open = await store.locks.update('d1', { status: 'LOCKED', door: 'OPEN' });
    if (!open) throw new Error('no lock');
    const [first, second] = await Promise.all([alerts.evaluate(open), alerts.evaluate(open)]);
    expect(first.alerts).toEqual([{ kind: 'LOCKED_DOOR_OPEN', since: new Date(T) }]);
    expect(second.alerts).toEqual(first.alerts);
    expect(heard).toEqual(['LOCKED_DOOR_OPEN']);
    expect((await store.locks.findByDeviceId('d1'))?.alerts).toEqual(first.alerts);
  });
});
