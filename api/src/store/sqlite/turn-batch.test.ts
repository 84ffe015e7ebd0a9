import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../ports.js';
import { openSqliteStore } from './sqlite-store.js';
import { createTurnBatch } from './turn-batch.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('turn batch (the SQLite writes of one turn in one commit)', () => {
  let dir: string;
  let db: Database.Database;
  /** A second connection to the same file: it sees only what was committed. */
  let reader: Database.Database;
  const committed = () => (reader.prepare('SELECT text FROM notes ORDER BY id').all() as { text: string }[]).map((row) => row.text);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smartlock-turn-batch-'));
    db = new Database(join(dir, 'batch.db'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    reader = new Database(join(dir, 'batch.db'), { readonly: true });
  });
  afterEach(async () => {
    reader.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  function notesBatch() {
    const insert = db.prepare<[string | null], { id: number }>('INSERT INTO notes (text) VALUES (?) RETURNING id');
    const inTransaction: boolean[] = [];
    const writes = createTurnBatch(db);
    const batch = {
      add: (text: string | null) =>
        writes.run(() => {
          inTransaction.push(db.inTransaction);
          return insert.all(text)[0]!.id;
        }),
      flush: writes.flush,
    };
    return { batch, inTransaction };
  }

  it('commits the writes of one turn together, in order, and resolves each once it is committed', async () => {
    const { batch, inTransaction } = notesBatch();
    const ids = ['a', 'b', 'c'].map((text) => batch.add(text));
    await Promise.resolve();
    expect(committed()).toEqual([]); // nothing yet within the turn
    expect(await Promise.all(ids)).toEqual([1, 2, 3]);
    expect(committed()).toEqual(['a', 'b', 'c']);
    expect(inTransaction).toEqual([true, true, true]); // one transaction, not three autocommits
    // The next turn's writes are a batch of their own.
    expect(await batch.add('d')).toBe(4);
    expect(committed()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fails only the write that fails: the rest of its batch is committed', async () => {
    const { batch } = notesBatch();
    const results = await Promise.allSettled([batch.add('a'), batch.add(null), batch.add('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
    expect(committed()).toEqual(['a', 'c']);
  });

  it('commits what waits at once on flush, and the turn end then finds nothing left', async () => {
    const { batch, inTransaction } = notesBatch();
    const id = batch.add('a');
    batch.flush();
    expect(committed()).toEqual(['a']);
    await nextTurn();
    expect(await id).toBe(1);
    expect(inTransaction).toEqual([true]);
  });
});

describe('SQLite store writes of one turn (visible changes, audit entries)', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smartlock-audit-batch-'));
    store = openSqliteStore(join(dir, 'store.db'));
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const entry = (detail: string) => ({ actor: 'alice', action: 'lock.rename', deviceId: 'lock-1', result: 'ok', detail });

  it('shows a query every entry appended before it, even one whose append was not awaited yet', async () => {
    const appended = store.audit.append(entry('waiting'));
    const page = await store.audit.query({ deviceId: 'lock-1' }, { first: 10 });
    expect(page.items.map((e) => e.detail)).toEqual(['waiting']);
    expect((await appended).detail).toBe('waiting');
  });

  it('rewrites an entry whose append was still waiting (an account deletion must not miss it)', async () => {
    const appended = store.audit.append(entry('mentions alice'));
    const mentioning = await store.audit.listMentioning('alice', null, 10);
    expect(mentioning.map((e) => e.detail)).toEqual(['mentions alice']);
    await store.audit.rewrite(mentioning[0]!.id, 'deleted-user', 'mentions deleted-user');
    expect((await appended).id).toBe(mentioning[0]!.id);
  });

  it('writes the appends still waiting when the store closes', async () => {
    const file = join(dir, 'store.db');
    const appended = store.audit.append(entry('at close'));
    await store.close();
    expect((await appended).detail).toBe('at close');
    store = openSqliteStore(file);
    expect((await store.audit.query({ deviceId: 'lock-1' }, { first: 10 })).items.map((e) => e.detail)).toEqual(['at close']);
  });

  it('commits a turn\'s visible changes and audit entries together, in the order they were made', async () => {
    await store.users.create({ username: 'alice', passwordHash: 'h', role: 'USER' });
    await store.locks.create({ deviceId: 'lock-1', name: 'Front', owner: 'alice', secretSealed: 's' });
    const reader = new Database(join(dir, 'store.db'), { readonly: true });
    const seqOnDisk = () => (reader.prepare("SELECT last_seq FROM locks WHERE device_id = 'lock-1'").get() as { last_seq: number }).last_seq;
    const before = seqOnDisk();
    const newer = store.locks.applyStatus({ deviceId: 'lock-1', boot: 1, seq: 5, patch: { status: 'UNLOCKED' } });
    const replayed = store.locks.applyStatus({ deviceId: 'lock-1', boot: 1, seq: 4, patch: { status: 'JAMMED' } });
    const audited = store.audit.append(entry('unlocked'));
    await Promise.resolve();
    expect(seqOnDisk()).toBe(before); // held for the turn's end
    expect(await newer).toMatchObject({ status: 'UNLOCKED', lastSeq: 5 });
    expect(await replayed).toBeNull(); // applied after seq 5, so refused
    expect((await audited).detail).toBe('unlocked');
    expect(seqOnDisk()).toBe(5);
    reader.close();
  });
});
