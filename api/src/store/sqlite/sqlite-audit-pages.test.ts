/**
 * What the SQLite audit pages rely on beyond the store contract: migration 24 fills `name_folded`
 * for the locks that exist, and a time window pages by time, so entries whose ids do not grow with
 * their times (the Flask import appends old entries after new ones) are neither missed nor repeated.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditFilter } from '../records.js';
import type { Store } from '../ports.js';
import { migrate, MIGRATIONS } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smartlock-audit-pages-'));
  file = join(dir, 'store.db');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function details(store: Store, filter: AuditFilter, first: number): Promise<(string | null)[]> {
  const all: (string | null)[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.audit.query(filter, { first, ...(after === undefined ? {} : { after }) });
    all.push(...page.items.map((entry) => entry.detail));
    if (!page.hasNextPage) return all;
    after = page.endCursor ?? undefined;
  }
}

describe('SQLite audit pages', () => {
  it('finds the entries of a lock named before migration 24 by its name in any case', async () => {
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, 23));
    old.prepare(`INSERT INTO users (id, username, password_hash, role, created_at) VALUES ('u1', 'alice', 'h', 'USER', 0)`).run();
    old.prepare(`INSERT INTO locks (device_id, name, owner, secret_sealed, created_at, updated_at) VALUES ('front-1', 'Haustür', 'alice', 's', 0, 0)`).run();
    old.prepare(`INSERT INTO audit (at, actor, action, device_id, result, detail) VALUES (1, NULL, 'lock.status', 'front-1', 'ok', 'front')`).run();
    old.close();
    const store = openSqliteStore(file);
    try {
      expect(await details(store, { device: 'HAUSTÜR' }, 10)).toEqual(['front']);
    } finally {
      await store.close();
    }
  });

  it('pages a time window newest first by time, every entry once, when ids do not follow the times', async () => {
    const store = openSqliteStore(file);
    try {
      const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
      const append = (minute: number) =>
        store.audit.append({ at: at(minute), actor: null, action: 'lock.status', deviceId: 'd1', result: 'ok', detail: `m${minute}` });
      // Recent entries first, then an import of older ones, then recent again.
      for (const minute of [50, 51, 52, 10, 11, 30, 53, 12, 31]) await append(minute);
      const window = { from: at(11), to: at(51) };
      expect(await details(store, window, 2)).toEqual(['m51', 'm50', 'm31', 'm30', 'm12', 'm11']);
      expect(await details(store, { to: at(12) }, 1)).toEqual(['m12', 'm11', 'm10']);
      expect(await details(store, { from: at(52) }, 1)).toEqual(['m53', 'm52']);
    } finally {
      await store.close();
    }
  });
});
