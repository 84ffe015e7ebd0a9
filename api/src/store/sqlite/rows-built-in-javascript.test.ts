import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRowsInJavaScript } from './rows-built-in-javascript.js';

describe('rows built in JavaScript (raw rows turned into objects per statement)', () => {
  /** Rows as better-sqlite3 builds them: what the others must equal. */
  let plain: Database.Database;
  let built: Database.Database;
  const SCHEMA = `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB, missing TEXT);
    INSERT INTO t VALUES (1, 'one', 1.5, x'0102', NULL), (2, 'two', -3, NULL, NULL), (3, '{"x":1}', 0, x'', 'set');`;

  beforeEach(() => {
    plain = new Database(':memory:');
    built = new Database(':memory:');
    buildRowsInJavaScript(built);
    plain.exec(SCHEMA);
    built.exec(SCHEMA);
  });
  afterEach(() => {
    plain.close();
    built.close();
  });

  const both = (sql: string) => [plain.prepare(sql), built.prepare(sql)] as const;

  it('gives get, all and iterate the same rows, keys in the same order', () => {
    for (const sql of ['SELECT * FROM t ORDER BY id', 'SELECT name, id AS "a b", score * 2 AS "x""y" FROM t ORDER BY id DESC']) {
      const [a, b] = both(sql);
      expect(b.all()).toEqual(a.all());
      expect(b.all().map((row) => Object.keys(row as object))).toEqual(a.all().map((row) => Object.keys(row as object)));
      expect(b.get()).toEqual(a.get());
      expect([...b.iterate()]).toEqual([...a.iterate()]);
    }
  });

  it('has better-sqlite3 hand over arrays, not objects it built itself', () => {
    const statement = built.prepare('SELECT id, name FROM t WHERE id = 1');
    const native = Object.getPrototypeOf(statement) as { get(this: typeof statement): unknown };
    expect(native.get.call(statement)).toEqual([1, 'one']);
    expect(statement.get()).toEqual({ id: 1, name: 'one' });
  });

  it('answers undefined and [] where there is no row', () => {
    const [a, b] = both('SELECT * FROM t WHERE id = ?');
    expect(b.get(99)).toBeUndefined();
    expect(b.all(99)).toEqual(a.all(99));
  });

  it('keeps the last value of a name given twice, as better-sqlite3 does', () => {
    const [a, b] = both('SELECT 1 AS v, 2 AS v');
    expect(a.get()).toEqual({ v: 2 });
    expect(b.get()).toEqual(a.get());
  });

  it('gives the rows of a write with RETURNING, and leaves writes without rows alone', () => {
    const insert = built.prepare('INSERT INTO t (name) VALUES (?) RETURNING id, name');
    expect(insert.all('four')).toEqual([{ id: 4, name: 'four' }]);
    expect(built.prepare('DELETE FROM t WHERE id = ?').run(4).changes).toBe(1);
  });

  it('hands a caller that picks a mode of its own what it asked for', () => {
    expect(built.prepare('SELECT id FROM t ORDER BY id').pluck().all()).toEqual([1, 2, 3]);
    expect(built.prepare('SELECT id, name FROM t WHERE id = 1').raw().get()).toEqual([1, 'one']);
    expect(built.prepare('SELECT id FROM t WHERE id = 1').expand().get()).toEqual({ t: { id: 1 } });
  });

  it('reads a column named __proto__ as a property, as better-sqlite3 does, not as the prototype', () => {
    const [a, b] = both('SELECT 1 AS "__proto__"');
    expect(Object.getPrototypeOf(b.get())).toBe(Object.getPrototypeOf(a.get()));
    expect(b.get()).toEqual(a.get());
  });

  it('closes the statement when an iteration stops early, so the connection is free again', () => {
    for (const row of built.prepare('SELECT * FROM t').iterate()) {
      expect(row).toHaveProperty('id', 1);
      break;
    }
    expect(() => built.exec('CREATE TABLE u (x)')).not.toThrow();
  });
});
