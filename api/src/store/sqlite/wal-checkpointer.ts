/**
 * WAL checkpoints on a worker thread of their own.
 *
 * SQLite copies the WAL back into the database inside whichever commit crosses
 * `wal_autocheckpoint` pages (1,000 by default), and that copy ends in fsyncs: on
 * the VMs measured here they stalled that one commit, and the whole event loop
 * with it, for 10-40 ms every few hundred commits (the command round trip's p99,
 * bench/README.md). So the api's connection never checkpoints
 * (`wal_autocheckpoint = 0`, set by the store), and a worker's own connection runs
 * a PASSIVE checkpoint every second instead: PASSIVE takes no lock that the api's
 * reads and writes wait for, and once it has copied every frame the api's next
 * commit starts the WAL over from its beginning, so the file stays bounded.
 *
 * The worker starts the first time the WAL file exceeds `startAtBytes`, so a
 * store that writes little (the CLI, most tests) never starts a thread. If the
 * worker fails, the connection goes back to SQLite's own checkpoints.
 */
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { Db } from './sqlite-helpers.js';

/** SQLite's default `wal_autocheckpoint`, restored when the worker fails. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

export interface CheckpointTimings {
  /** The WAL size (bytes) at which the worker starts: 1 MiB, a quarter of what SQLite's own default lets grow. */
  startAtBytes: number;
  /** How often the worker checkpoints once started. */
  everyMs: number;
  /** How often the WAL's size is looked at until the worker starts. */
  pollMs: number;
}

const DEFAULT_TIMINGS: CheckpointTimings = { startAtBytes: 1024 * 1024, everyMs: 1_000, pollMs: 1_000 };

/** One `PRAGMA wal_checkpoint` row: frames in the WAL, and how many of them are now in the database. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface CheckpointerOptions extends Partial<CheckpointTimings> {
  /** Told of each checkpoint the worker ran (tests, diagnostics). */
  onCheckpoint?: (result: CheckpointResult) => void;
  /** Told when the worker failed and SQLite's own checkpoints took over again. */
  onFailure?: (error: Error) => void;
  /**
   * Told when a checkpoint failed (a full disk, say) after one that did not: the worker goes on
   * trying every `everyMs`, and the WAL keeps every commit meanwhile.
   */
  onCheckpointError?: (error: Error) => void;
}

export interface WalCheckpointer {
  /** True while the worker runs. */
  running(): boolean;
  /** Ends the worker (after the checkpoint it may be in) and the size polling. */
  stop(): Promise<void>;
}

// CommonJS run by the worker (eval): the api's TypeScript is not loadable in a worker under the
// test runner, and this is all the worker does. The driver's path comes resolved from here.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const checkpoint = () => {
  try {
    parentPort.postMessage(db.pragma('wal_checkpoint(PASSIVE)')[0]);
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
checkpoint();
`;

const DRIVER = require.resolve('better-sqlite3');

const WORKER_STOP_MS = 5_000;

/** Takes checkpoints off `db`'s thread; `db` must already have `wal_autocheckpoint = 0`. */
export function startWalCheckpointer(db: Db, file: string, options: CheckpointerOptions = {}): WalCheckpointer {
  const { startAtBytes = DEFAULT_TIMINGS.startAtBytes, everyMs = DEFAULT_TIMINGS.everyMs, pollMs = DEFAULT_TIMINGS.pollMs } = options;
  let worker: Worker | undefined;
  let stopping = false;
  /** Once a worker has been started; it stays set when the worker fails and SQLite checkpoints again. */
  let workerStarted = false;

  const fallBack = (error: Error) => {
    worker = undefined;
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    options.onFailure?.(error);
  };

  const start = () => {
    const started = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: DRIVER, file, everyMs } });
    // Never what keeps the process alive: a process that ends without closing the store loses no commit.
    started.unref();
    let failing = false;
    started.on('message', (result: CheckpointResult | { error: string }) => {
      if (stopping) return; // one posted before the worker read 'stop': nobody is listening any more
      if ('error' in result) {
        if (!failing) options.onCheckpointError?.(new Error(result.error));
        failing = true;
        return;
      }
      failing = false;
      options.onCheckpoint?.(result);
    });
    started.on('error', (error) => fallBack(error));
    started.on('exit', (code) => {
      if (!stopping && worker === started) fallBack(new Error(`WAL checkpoint worker exited with code ${code}`));
    });
    worker = started;
  };

  const poll = setInterval(() => {
    stat(`${file}-wal`).then(
      (wal) => {
        // Polls overlap when the thread pool is slow to answer a stat: only the first starts a worker.
        if (wal.size < startAtBytes || stopping || workerStarted) return;
        workerStarted = true;
        clearInterval(poll);
        start();
      },
      () => undefined, // no WAL yet
    );
  }, pollMs);
  poll.unref();

  return {
    running: () => worker !== undefined,
    async stop() {
      stopping = true;
      clearInterval(poll);
      const running = worker;
      worker = undefined;
      if (!running) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.postMessage('stop');
      const cutOff = setTimeout(() => void running.terminate(), WORKER_STOP_MS);
      await exited;
      clearTimeout(cutOff);
    },
  };
}
