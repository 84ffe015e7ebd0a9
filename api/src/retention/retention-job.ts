/**
 * Retention: deletes what no one needs any more, so the store stops growing
 * with use. Ended sessions go once expired (until then a rotated or revoked one
 * still catches a replayed refresh token); finished commands and audit entries
 * go after their retention periods, and so do sampled diagnostics. A command still SENT is never deleted.
 */
import type { Logger } from '../app/logger.js';
import type { Store } from '../store/ports.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionOptions {
  store: Store;
  commandRetentionDays: number;
  auditRetentionDays: number;
  /** Sampled battery, signal and availability points (diagnostics/). */
  diagnosticsRetentionDays: number;
  log: Logger;
  /** Rows per delete statement. @default 1000 */
  batchSize?: number;
  /** Milliseconds since the epoch. @default Date.now */
  now?: () => number;
}

export interface RetentionResult {
  sessions: number;
  commands: number;
  audit: number;
  diagnostics: number;
}

/**
 * Deletes `batchSize` rows at a time until a batch comes back short, yielding
 * to the event loop between batches: a large backlog (the first run on an old
 * database) then never holds the SQLite write lock or the loop for long.
 */
async function deleteInBatches(deleteBatch: (limit: number) => Promise<number>, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(batchSize);
    total += deleted;
    if (deleted < batchSize) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Builds the job the scheduler runs; each run returns what it deleted (also logged). */
export function createRetentionJob(options: RetentionOptions): () => Promise<RetentionResult> {
  const { store, log } = options;
  const batchSize = options.batchSize ?? 1000;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);

  return async () => {
    const at = now();
    const result: RetentionResult = {
      sessions: await deleteInBatches((limit) => store.sessions.deleteExpired(new Date(at), limit), batchSize),
      commands: await deleteInBatches((limit) => store.commands.deleteFinishedBefore(new Date(at - options.commandRetentionDays * DAY_MS), limit), batchSize),
      audit: await deleteInBatches((limit) => store.audit.deleteBefore(new Date(at - options.auditRetentionDays * DAY_MS), limit), batchSize),
      diagnostics: await deleteInBatches((limit) => store.diagnostics.deleteBefore(new Date(at - options.diagnosticsRetentionDays * DAY_MS), limit), batchSize),
    };
    const deleted = result.sessions + result.commands + result.audit + result.diagnostics;
    log[deleted > 0 ? 'info' : 'debug'](result, 'retention run done');
    return result;
  };
}
