/**
 * The store's writes of one turn of the event loop, committed together once the turn's I/O is done
 * (`setImmediate`). A busy api writes several things per turn (a fleet's visible changes, each with
 * its audit entry, and the entries of commands), and each commit on its own wrote the same tail pages
 * of the table and its indexes to the WAL again: an audit entry cost 2.2-2.5 × as much committed
 * alone as in a batch of 5 to 100 (bench/audit-append.mjs, bench/README.md "Live dashboards").
 *
 * Nothing is promised early: each `run` resolves once its own write is committed, with its result.
 * If the batch fails, its writes are tried one by one, so that one bad write fails alone and a
 * failing disk fails each of them, as before. `flush` commits what waits at once, for operations
 * that must see it (an audit query, a rewrite) and for closing.
 *
 * Only writes that stand alone go through here (one statement each, or a transaction of their
 * own): a write is never held back into a batch from inside another transaction.
 */
import type { Db } from './sqlite-helpers.js';

interface Waiting {
  write: () => unknown;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

export interface TurnBatch {
  /** Runs `write` with the turn's other writes, in one transaction at the turn's end. */
  run<R>(write: () => R): Promise<R>;
  /** Commits what waits, now; a plain function, so it can be handed on. */
  flush: () => void;
}

export function createTurnBatch(db: Db): TurnBatch {
  let waiting: Waiting[] = [];
  let scheduled = false;
  const writeAll = db.transaction((batch: Waiting[]) => batch.map((w) => w.write()));

  function flush(): void {
    scheduled = false;
    const batch = waiting;
    if (batch.length === 0) return;
    waiting = [];
    let results: unknown[];
    try {
      results = writeAll.immediate(batch);
    } catch {
      for (const w of batch) {
        try {
          w.resolve(w.write());
        } catch (error) {
          w.reject(error);
        }
      }
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i]));
  }

  return {
    run<R>(write: () => R) {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ write, resolve: resolve as (result: unknown) => void, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    flush,
  };
}
