// Benchmark (issue 17, items 2-4): what an audit entry costs the SQLite store when it is committed on
// its own, and when the entries of one event-loop turn share a commit (store/sqlite/turn-batch.ts).
// A busy api appends several entries per turn (a fleet's visible changes, commands and their acks);
// an idle one appends one at a time. Each size runs through the real store on a real file, and is
// reported as µs per entry and as a ratio to the batch of one measured in the same run.
//
//   node bench/audit-append.mjs [--entries 6000] [--sizes 1,5,20,100]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { api, printMachine, printTable, saveResult } from './lib.mjs';

const { values: args } = parseArgs({ options: { entries: { type: 'string', default: '6000' }, sizes: { type: 'string', default: '1,5,20,100' } } });
const ENTRIES = Number(args.entries);
const SIZES = args.sizes.split(',').map(Number);

printMachine('Audit appends: one commit per entry, and one per turn');
const dir = mkdtempSync(join(os.tmpdir(), 'smartlock-audit-append-'));
const store = await api('store/open-store.js').openStore({ sqliteFile: join(dir, 'smartlock.db') });
let n = 0;
const entry = () => ({ actor: 'bench', action: 'lock.status', deviceId: `lock-${n % 200}`, result: 'ok', detail: `entry ${n++}` });

/** Appends `entries` entries, `size` of them in each turn; returns µs per entry. */
async function run(size, entries) {
  const t0 = performance.now();
  for (let done = 0; done < entries; done += size) {
    await Promise.all(Array.from({ length: size }, () => store.audit.append(entry())));
  }
  return ((performance.now() - t0) * 1000) / entries;
}

const rows = [];
for (const size of SIZES) await run(size, Math.min(ENTRIES / 10, 500)); // warm the code and the file
for (let round = 0; round < 3; round++) {
  // Sizes interleaved, three rounds: the file grows alike under each, and a noisy moment hits them all.
  for (const size of SIZES) {
    const perEntry = await run(size, ENTRIES);
    (rows[SIZES.indexOf(size)] ??= { size, perEntry: [] }).perEntry.push(perEntry);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const baseline = median(rows[0].perEntry);
console.log(`\n${ENTRIES.toLocaleString('en-US')} entries per size and round, 3 rounds; median µs per entry (and the 3 rounds):`);
printTable([
  ['entries per turn', 'µs per entry', 'rounds', `ratio to ${SIZES[0]} per turn`],
  ...rows.map(({ size, perEntry }) => [String(size), median(perEntry).toFixed(1), perEntry.map((v) => v.toFixed(0)).join(' / '), `${(median(perEntry) / baseline).toFixed(2)}×`]),
]);
saveResult('audit-append', { entries: ENTRIES, rows: rows.map(({ size, perEntry }) => ({ size, perEntryUs: perEntry, medianUs: median(perEntry) })) });
await store.close();
rmSync(dir, { recursive: true, force: true });
