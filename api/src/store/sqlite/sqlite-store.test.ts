import { MissingOwnerError } from '../errors.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../ports.js';
import { describeStoreContract } from '../store.contract.js';
import { LATEST_VERSION, migrate, MIGRATIONS } from './migrations.js';
import { ALERT_CANDIDATES_SQL, FIND_STALE_SQL } from './sqlite-locks.js';
import { openSqliteStore } from './sqlite-store.js';

/** Each store gets its own temp directory, removed with it (WAL adds -wal and -shm files). */
const dirs = new WeakMap<Store, string>();

describeStoreContract(
  'SQLite store contract',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'smartlock-sqlite-'));
    const store = openSqliteStore(join(dir, 'store.db'));
    dirs.set(store, dir);
    return store;
  },
  async (store) => {
    await store.close();
    const dir = dirs.get(store);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  },
);

describe('SQLite store', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smartlock-sqlite-'));
    file = join(dir, 'store.db');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Opens the file with a plain connection to look at what the store left there. */
  function inspect<T>(look: (db: Database.Database) => T): T {
    const db = new Database(file, { readonly: true });
    try {
      return look(db);
    } finally {
      db.close();
    }
  }

  it('sets user_version to the latest migration and migrates again on reopen without error', async () => {
    await openSqliteStore(file).close();
    await openSqliteStore(file).close();
    expect(LATEST_VERSION).toBeGreaterThan(0);
    expect(inspect((db) => db.pragma('user_version', { simple: true }))).toBe(LATEST_VERSION);
  });

  it('keeps the commands of a version 2 file when it rebuilds the table for SUPERSEDED (migration 3)', async () => {
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, 2));
    old
      .prepare(`INSERT INTO commands (id, device_id, action, state, counter, requested_by, created_at, completed_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run('c1', 'd1', 'UNLOCK', 'TIMED_OUT', 7, 'alice', 1000, 2000, 'no ack from the lock');
    old.close();
    const store = openSqliteStore(file);
    expect(await store.commands.findById('c1')).toEqual({
      id: 'c1',
      deviceId: 'd1',
      action: 'UNLOCK',
      state: 'TIMED_OUT',
      counter: 7,
      requestedBy: 'alice',
      createdAt: new Date(1000),
      completedAt: new Date(2000),
      reason: 'no ack from the lock',
    });
    await store.commands.create({ id: 'c2', deviceId: 'd1', action: 'LOCK', counter: 8, requestedBy: 'alice' });
    await store.commands.create({ id: 'c3', deviceId: 'd1', action: 'LOCK', counter: 9, requestedBy: 'alice' });
    expect(await store.commands.supersedeOlder('d1', 'c3', 9, new Date(3000))).toMatchObject([{ id: 'c2', state: 'SUPERSEDED' }]);
    await store.close();
  });

  it('counts a door already open or a bolt already unlocked in a version 5 file from its last change (migration 6)', async () => {
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, 5));
    old.prepare(`INSERT INTO users (id, username, password_hash, role, created_at) VALUES ('u1', 'alice', 'h', 'USER', 0)`).run();
    const insert = old.prepare(`INSERT INTO locks (device_id, name, owner, status, door, secret_sealed, created_at, updated_at) VALUES (?, 'x', 'alice', ?, ?, 's', 0, ?)`);
    insert.run('open', 'LOCKED', 'OPEN', 1000);
    insert.run('unlocked', 'UNLOCKED', null, 2000);
    insert.run('quiet', 'LOCKED', 'CLOSED', 3000);
    old.close();
    const store = openSqliteStore(file);
    expect(await store.locks.findByDeviceId('open')).toMatchObject({ doorOpenSince: new Date(1000), unlockedSince: null, alertDoorAjarMinutes: 10, alerts: [] });
    expect(await store.locks.findByDeviceId('unlocked')).toMatchObject({ doorOpenSince: null, unlockedSince: new Date(2000), alertUnlockedMinutes: null });
    expect(await store.locks.findByDeviceId('quiet')).toMatchObject({ doorOpenSince: null, unlockedSince: null });
    await store.close();
  });

  it('finds alert candidates through the partial index of open, unlocked and alerted locks', async () => {
    await openSqliteStore(file).close();
    const plan = inspect((db) =>
      db
        .prepare<[Record<string, string | number>], { detail: string }>(`EXPLAIN QUERY PLAN ${ALERT_CANDIDATES_SQL}`)
        .all({ now: 0, after: '', limit: 10 })
        .map((row) => row.detail),
    );
    expect(plan.join('\n')).toMatch(/USING INDEX locks_alert_candidates/);
  });

  it('finds the pending commands to supersede through the partial SENT index', async () => {
    await openSqliteStore(file).close();
    const plan = inspect((db) =>
      db
        .prepare<[string, number], { detail: string }>(`EXPLAIN QUERY PLAN SELECT id FROM commands WHERE device_id = ? AND state = 'SENT' AND counter < ?`)
        .all('d1', 5)
        .map((row) => row.detail),
    );
    expect(plan.join('\n')).toMatch(/USING (COVERING )?INDEX commands_sent_counter/);
  });

  it('opens a command in one transaction: a refused one spends no counter and supersedes nothing', async () => {
    const store = openSqliteStore(file);
    try {
      await store.users.create({ username: 'alice', passwordHash: 'x', role: 'USER' });
      await store.locks.create({ deviceId: 'd1', name: 'Front', owner: 'alice', secretSealed: 's' });
      const claim = { key: 'k1', since: new Date(Date.now() - 60_000) };
      await store.commands.open({ id: 'c1', deviceId: 'd1', action: 'LOCK', requestedBy: 'alice' }, claim, new Date());
      await expect(store.commands.open({ id: 'c2', deviceId: 'd1', action: 'LOCK', requestedBy: 'alice' }, claim, new Date())).rejects.toMatchObject({ field: 'idempotencyKey' });
      expect((await store.locks.findByDeviceId('d1'))?.commandCounter).toBe(1);
      expect(await store.commands.findById('c1')).toMatchObject({ state: 'SENT' });
      expect((await store.commands.open({ id: 'c3', deviceId: 'd1', action: 'UNLOCK', requestedBy: 'alice' }, undefined, new Date()))?.command.counter).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('runs in WAL mode with foreign keys enforced', async () => {
    const store = openSqliteStore(file);
    await expect(store.locks.create({ deviceId: 'd1', name: 'x', owner: 'nobody', secretSealed: 's' })).rejects.toBeInstanceOf(MissingOwnerError);
    await store.close();
    expect(inspect((db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
  });

  it('finds stale locks through the (state, last_seen) index without sorting', async () => {
    await openSqliteStore(file).close();
    const plan = inspect((db) =>
      db
        .prepare<[{ before: number; limit: number }], { detail: string }>(`EXPLAIN QUERY PLAN ${FIND_STALE_SQL}`)
        .all({ before: 0, limit: 10 })
        .map((row) => row.detail),
    );
    expect(plan.join('\n')).toMatch(/SEARCH locks USING INDEX locks_state_last_seen \(state=\? AND last_seen<\?\)/);
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
  });

  it('keeps its data across close and reopen', async () => {
    const first = openSqliteStore(file);
    await first.users.create({ username: 'alice', passwordHash: 'h', role: 'ADMIN' });
    await first.locks.create({ deviceId: 'd1', name: 'Front', owner: 'alice', secretSealed: 's' });
    await first.audit.append({ actor: 'alice', action: 'ADD', deviceId: 'd1', result: 'OK', detail: null });
    await first.close();

    const second = openSqliteStore(file);
    expect(await second.users.findByUsername('alice')).toMatchObject({ role: 'ADMIN' });
    expect(await second.locks.findByDeviceId('d1')).toMatchObject({ name: 'Front', owner: 'alice' });
    expect((await second.audit.query({}, { first: 5 })).items).toHaveLength(1);
    await second.close();
  });

  it('answers ping while open and fails it once closed', async () => {
    const store = openSqliteStore(file);
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });
});
