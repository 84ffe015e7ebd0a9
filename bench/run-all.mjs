// Runs the three benchmarks one after the other (each in its own process, so one cannot
// warm or pollute another), then prints one summary from their bench/results/*.json.
//
//   node bench/run-all.mjs [--quick]     (after `npm run build:api`; `npm run bench` does both)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, int, ms, printMachine, printTable } from './lib.mjs';

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
// --quick: smaller runs for a smoke test (figures not comparable with the goals).
const runs = [
  ['ingest.mjs', args.quick ? ['--devices', '50', '--messages', '100'] : []],
  ['command-roundtrip.mjs', args.quick ? ['--commands', '100', '--warmup', '10'] : []],
  ['sweep.mjs', args.quick ? ['--locks', '10000', '--runs', '10', '--scan-runs', '3'] : []],
];

printMachine('Smartlock benchmarks');
const started = Date.now();
let failed = 0;
for (const [script, extra] of runs) {
  const result = spawnSync(process.execPath, [join(BENCH_DIR, script), ...extra], { stdio: 'inherit', timeout: 15 * 60_000 });
  if (result.status !== 0) {
    failed += 1;
    console.error(`\n${script} failed (exit ${result.status ?? result.signal})`);
  }
}

const load = (name) => {
  const file = join(BENCH_DIR, 'results', `${name}.json`);
  if (!existsSync(file)) return null;
  const result = JSON.parse(readFileSync(file, 'utf8'));
  return Date.parse(result.at) >= started ? result : null; // never report a previous run's figures
};
const ingest = load('ingest');
const roundtrip = load('command-roundtrip');
const sweep = load('sweep');
const rows = [['benchmark', 'figure', 'goal', 'met']];
for (const r of ingest?.results ?? []) {
  rows.push([`ingest (${r.broker})`, `${int(r.api.rate)} accepted/s; raw ${int(r.raw.rate)}/s; ratio ${r.ratio.toFixed(2)}; api ${r.api.cpuUsPerMessage?.toFixed(0)} µs CPU/msg`, '>= 20,000/s and >= 0.8 of raw', r.api.rate >= 20_000 && r.ratio >= 0.8 ? 'yes' : 'no']);
}
if (roundtrip) {
  const d = roundtrip.done;
  rows.push(['command round trip', `p50 ${ms(d.p50)}, p95 ${ms(d.p95)}, p99 ${ms(d.p99)}, mean ${ms(d.mean)}`, 'p99 <= 10 ms', d.p99 <= 10 ? 'yes' : 'no']);
}
if (sweep) {
  rows.push([`sweep (${int(sweep.locks)} locks, none due)`, `median ${ms(sweep.none.p50)}, p95 ${ms(sweep.none.p95)}; full scan ${ms(sweep.scan.p50, 0)}`, '<= 10 ms', sweep.none.p95 <= 10 ? 'yes' : 'no']);
  rows.push([`sweep (${sweep.due} due)`, `median ${ms(sweep.withDue.p50)}, p95 ${ms(sweep.withDue.p95)}`, '<= 10 ms', sweep.withDue.p95 <= 10 ? 'yes' : 'no']);
}
console.log(`\n=== Summary (${((Date.now() - started) / 1000).toFixed(0)} s) ===`);
printTable(rows);
process.exit(failed ? 1 : 0);
