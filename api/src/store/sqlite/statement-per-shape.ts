/**
 * Prepared statements for writes whose SET clause depends on which columns a patch carries
 * (sqlite-lock-rows.ts `patchSet`): one per shape, prepared on first use. The shapes are those the
 * code's own patches take, a few dozen at most; past the bound a shape is prepared for its one use
 * rather than kept.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './sqlite-helpers.js';
import type { SqlParams } from './sqlite-lock-rows.js';

const MAX_SHAPES = 128;

export interface Shape {
  /** Names the shape: equal keys, equal assignments. */
  key: string;
  assignments: string[];
}

export function statementPerShape<Row>(db: Db, sqlOf: (assignments: string[]) => string): (shape: Shape) => Statement<[SqlParams], Row> {
  const statements = new Map<string, Statement<[SqlParams], Row>>();
  return (shape) => {
    const known = statements.get(shape.key);
    if (known) return known;
    const statement = db.prepare<[SqlParams], Row>(sqlOf(shape.assignments));
    if (statements.size < MAX_SHAPES) statements.set(shape.key, statement);
    return statement;
  };
}
