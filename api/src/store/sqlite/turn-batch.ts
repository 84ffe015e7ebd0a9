/**
 * Writes of one turn of the event loop, committed together once the turn's I/O is done
 * (`setImmediate`). Each commit of an audit entry wrote the same tail pages of its table and five
 * indexes to the WAL again. An entry cost 161-223 µs on its own, and 30-63 µs in a batch of 5 to 20
 * (bench/README.md, "ninth session"), so it is a fleet's visible changes and the commands' entries
 * that pay for it.
 *
 * Nothing is promised early: each `add` resolves once its own write is committed, with its result.
 * If the batch fails, its writes are tried one by one, so that one bad write fails alone and a
 * failing disk fails each of them, as before. `flush` commits what waits at once, for operations
 * that must see it (a query, a rewrite) and for closing.
 */
import type { Db } from './sqlite-helpers.js';

interface Waiting<P, R> {
  params: P;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface TurnBatch<P, R> {
  add(params: P): Promise<R>;
  /** Commits what waits, now; a plain function, so it can be handed on. */
  flush: () => void;
}

export function createTurnBatch<P, R>(db: Db, write: (params: P) => R): TurnBatch<P, R> {
  let waiting: Waiting<P, R>[] = [];
  let scheduled = false;
  const writeAll = db.transaction((batch: P[]) => batch.map(write));

  function flush(): void {
    scheduled = false;
    const batch = waiting;
    if (batch.length === 0) return;
    waiting = [];
    let results: R[];
    try {
      results = writeAll.immediate(batch.map((w) => w.params));
    } catch {
      for (const w of batch) {
        try {
          w.resolve(write(w.params));
        } catch (error) {
          w.reject(error);
        }
      }
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i] as R));
  }

  return {
    add(params) {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ params, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    flush,
  };
}
