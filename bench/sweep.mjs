// Benchmark 3: the offline sweep over a large fleet in SQLite. The sweep reads only the
// (state, last_seen) index for locks that are due, so with none due it should cost about
// nothing, whatever the fleet size; a full scan (listAll) is the baseline it avoids.
//
//   node bench/sweep.mjs [--locks 100000] [--runs 50] [--scan-runs 10] [--due 100]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { api, int, ms, printMachine, printTable, require, saveResult, stats } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    locks: { type: 'string', default: process.env.BENCH_LOCKS ?? '100000' },
    runs: { type: 'string', default: '50' },
    'scan-runs': { type: 'string', default: '10' },
    due: { type: 'string', default: '100' },
  },
});
const LOCKS = Number(args.locks);
const RUNS = Number(args.runs);
const SCAN_RUNS = Number(args['scan-runs']);
const DUE = Number(args.due);
const OFFLINE_AFTER_MS = 30_000;

const Database = require('better-sqlite3');
const { openStore } = api('store/open-store.js');
const { createOfflineSweep } = api('offline/offline-sweep.js');
const { FIND_STALE_SQL } = api('store/sqlite/sqlite-locks.js');
const { AuditService } = api('audit/audit.service.js');
const { MemoryEventBus } = api('events/memory-event-bus.js');
const { createLogger } = api('app/logger.js');

async function time(fn, runs, warmup = 3, before = () => undefined) {
  for (let i = 0; i < warmup; i++) {
    before();
    await fn();
  }
  const samples = [];
  for (let i = 0; i < runs; i++) {
    before();
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

printMachine('Benchmark 3: offline sweep');
const dir = mkdtempSync(join(os.tmpdir(), 'smartlock-bench-sweep-'));
const file = join(dir, 'smartlock.db');
try {
  const store = await openStore({ sqliteFile: file }); // creates and migrates the schema
  await store.users.create({ username: 'bench-owner', passwordHash: 'x', role: 'USER' });

  // Bulk insert through a second connection in one transaction: the store's create() is one
  // implicit transaction per row, which is correct for the api but slow for 100k fixtures.
  const t0 = performance.now();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const now = Date.now();
  const insert = db.prepare(
    `INSERT INTO locks (device_id, name, owner, status, state, last_seen, battery, power, rssi, firmware, secret_sealed,
                        command_counter, last_boot, last_seq, created_at, updated_at)
     VALUES (?, ?, 'bench-owner', 'LOCKED', 'AVAILABLE', ?, 90, 'BATTERY', -55, 'bench-1.0.0', ?, 0, 1, 1, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < LOCKS; i++) {
      const id = `lock-${String(i).padStart(6, '0')}`;
      // Fresh: seen within the last 20 s, so none is due with OFFLINE_AFTER_MS = 30 s.
      insert.run(id, `Lock ${i}`, now - Math.floor(Math.random() * 20_000), `v1.${'A'.repeat(16)}.${'B'.repeat(43)}.${'C'.repeat(22)}`, now, now);
    }
  })();
  db.exec('ANALYZE');
  console.log(`${int(LOCKS)} AVAILABLE locks inserted in ${((performance.now() - t0) / 1000).toFixed(2)} s (untimed)`);
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${FIND_STALE_SQL}`).all(now, 500).map((r) => r.detail);
  console.log(`findStale query plan: ${plan.join('; ')}`);

  const log = createLogger('silent');
  const stubs = {
    flushHeartbeats: async () => {},
    commands: { expireOverdue: async () => 0 },
    audit: { record: async () => null },
    events: { publish: () => undefined },
  };
  // A fixed clock at insert time: the fleet stays "fresh" however long the benchmark runs.
  const clock = () => now;
  const sweep = createOfflineSweep({ store, ...stubs, offlineAfterMs: OFFLINE_AFTER_MS, log, now: clock });

  // 1. Nothing due.
  const none = await time(sweep, RUNS);
  // 2. Baseline: what a sweep that scanned the fleet would read (and map) at least.
  const scan = await time(() => store.locks.listAll(), SCAN_RUNS, 1);

  // 3. DUE locks due: before each run (untimed), DUE locks are put back to AVAILABLE with an old last_seen.
  const dueIds = Array.from({ length: DUE }, (_, i) => `lock-${String(Math.floor((i * LOCKS) / DUE)).padStart(6, '0')}`);
  const makeDue = db.prepare(`UPDATE locks SET state = 'AVAILABLE', issue = NULL, last_seen = ? WHERE device_id = ?`);
  const resetDue = db.transaction(() => {
    const old = now - OFFLINE_AFTER_MS - 60_000;
    for (const id of dueIds) makeDue.run(old, id);
  });
  const withDue = await time(sweep, RUNS, 3, resetDue);
  const unavailable = db.prepare(`SELECT count(*) AS n FROM locks WHERE state = 'UNAVAILABLE'`).get().n;
  // 4. The same with the real audit trail (SQLite) and in-memory event bus instead of stubs.
  const events = new MemoryEventBus();
  const audit = new AuditService(store.audit, log);
  audit.attachEvents(events);
  const realSweep = createOfflineSweep({ store, ...stubs, audit, events, offlineAfterMs: OFFLINE_AFTER_MS, log, now: clock });
  const withDueReal = await time(realSweep, Math.min(RUNS, 20), 2, resetDue);

  db.close();
  await store.close();

  console.log(`\nafter the due runs, ${unavailable} locks were UNAVAILABLE (expected ${DUE})`);
  console.log('\nSummary (goal: a sweep <= 10 ms at 100k locks):');
  const row = (label, s) => [label, s.n, ms(s.p50), ms(s.p95), ms(s.mean), ms(s.max)];
  printTable([
    ['case', 'runs', 'median', 'p95', 'mean', 'max'],
    row(`sweep, ${int(LOCKS)} locks, none due`, none),
    row(`baseline: full scan listAll()`, scan),
    row(`sweep, ${DUE} due (stub audit/events)`, withDue),
    row(`sweep, ${DUE} due (SQLite audit, memory bus)`, withDueReal),
  ]);
  console.log(`full scan / sweep (none due), medians: ${(scan.p50 / none.p50).toFixed(0)}x`);
  console.log(`goal (<= 10 ms): none due ${none.p95 <= 10 ? 'met' : 'NOT met'} (p95 ${ms(none.p95)}), ${DUE} due ${withDue.p95 <= 10 ? 'met' : 'NOT met'} (p95 ${ms(withDue.p95)})`);
  saveResult('sweep', { locks: LOCKS, due: DUE, plan, none, scan, withDue, withDueReal });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
