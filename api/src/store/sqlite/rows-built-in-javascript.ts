/**
 * Result rows as objects built by JavaScript, not by better-sqlite3's C++.
 *
 * better-sqlite3 builds an object row (on Node 20) with one V8 API call per column: the column's
 * name internalized from UTF-8, a property added, the object's hidden class moved along a
 * transition, its property store grown. callgrind counted 13% of the api's instructions per command
 * in building rows, nearly as many as in SQLite running the statements and their commits (16%;
 * bench/README.md, "Command round trip", command-instructions.mjs). Here each statement that
 * returns rows runs in raw mode (an array per row: one cheap element store per column), and a
 * function made once per statement from its column names turns the array into the same object in
 * one object literal. The rows are equal to those better-sqlite3 makes (same keys, same order, same
 * values; a name given twice keeps the last value, as there), and share one hidden class per
 * statement.
 *
 * The function is compiled from the statement's column names. They come from the store's own SQL,
 * and each is written as a JSON string literal, so no name can be read as code.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './sqlite-helpers.js';

type RowOf = (values: unknown[]) => Record<string, unknown>;

/** Makes every statement `db.prepare` returns from now on give its rows as JavaScript-built objects. */
export function buildRowsInJavaScript(db: Db): void {
  const prepare = db.prepare.bind(db);
  db.prepare = (source: string) => withRowsBuiltInJavaScript(prepare(source));
}

/** The statement, its get/all/iterate answering with objects built from raw rows. */
export function withRowsBuiltInJavaScript<S extends Statement<unknown[], unknown>>(statement: S): S {
  if (!statement.reader) return statement;
  const names = statement.columns().map((column) => column.name);
  // A literal would set the prototype for this key, not a property: such a statement keeps C++ rows.
  if (names.includes('__proto__')) return statement;
  const rowOf = rowConstructor(names);
  const get = statement.get.bind(statement);
  const all = statement.all.bind(statement);
  const iterate = statement.iterate.bind(statement);
  const raw = statement.raw.bind(statement);
  const pluck = statement.pluck.bind(statement);
  const expand = statement.expand.bind(statement);
  // Mapping stops once a caller picks a mode of its own: its rows are then what it asked for.
  let mapping = true;
  Object.assign(statement, {
    get: (...params: unknown[]) => {
      const row = get(...params);
      return mapping && row !== undefined ? rowOf(row as unknown[]) : row;
    },
    all: (...params: unknown[]) => {
      const rows = all(...params);
      if (mapping) for (let i = 0; i < rows.length; i++) rows[i] = rowOf(rows[i] as unknown[]);
      return rows;
    },
    iterate: function* (...params: unknown[]) {
      for (const row of iterate(...params)) yield mapping ? rowOf(row as unknown[]) : row;
    },
    raw: (...toggle: [boolean?]) => ((mapping = false), raw(...toggle)),
    pluck: (...toggle: [boolean?]) => ((mapping = false), pluck(...toggle)),
    expand: (...toggle: [boolean?]) => ((mapping = false), expand(...toggle)),
  });
  raw(true);
  return statement;
}

function rowConstructor(names: string[]): RowOf {
  const fields = names.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(', ');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see the file's comment: one literal per statement, names as JSON strings
  return new Function('values', `return { ${fields} };`) as RowOf;
}
