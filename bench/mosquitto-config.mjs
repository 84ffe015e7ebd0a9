// Issue 17 item 1: the compose broker configuration itself. Runs command-roundtrip.mjs against
// Mosquitto started with deploy/mosquitto/mosquitto.conf as shipped and, as the baseline in the
// same run, with `set_tcp_nodelay` removed; each run in its own process, alternating, so that
// a change in the machine's load falls on both. Round trip = mutation sent until the client's
// lockChanged subscription shows the new status; the simulated lock runs in its own process.
//
//   npm run build:api && node bench/mosquitto-config.mjs [--commands 300] [--rounds 2]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, int, machine, ms, printMachine, printTable, saveResult, stats } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    commands: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '2' },
  },
});
const variants = [
  { name: 'shipped', label: 'deploy config as shipped (set_tcp_nodelay true)', extra: [] },
  { name: 'without-nodelay', label: 'same config without set_tcp_nodelay (baseline)', extra: ['--without', 'set_tcp_nodelay'] },
];

printMachine('Compose Mosquitto config: command round trip, shipped vs without set_tcp_nodelay');
const loads = [machine().loadavg];
const samples = Object.fromEntries(variants.map((v) => [v.name, []]));
for (let round = 1; round <= Number(args.rounds); round++) {
  for (const variant of round % 2 === 1 ? variants : [...variants].reverse()) {
    console.log(`\n--- round ${round}: ${variant.label} ---`);
    const saveAs = `mosquitto-config-${variant.name}`;
    const run = spawnSync(
      process.execPath,
      [join(BENCH_DIR, 'command-roundtrip.mjs'), '--mosquitto-deploy', '--lock-process', '--commands', args.commands, '--warmup', args.warmup, '--save-as', saveAs, ...variant.extra],
      { stdio: 'inherit', timeout: 10 * 60_000 },
    );
    if (run.status !== 0) throw new Error(`command-roundtrip.mjs failed (${variant.name}, exit ${run.status ?? run.signal})`);
    const result = JSON.parse(readFileSync(join(BENCH_DIR, 'results', `${saveAs}.json`), 'utf8'));
    samples[variant.name].push(...result.lockViewSamples);
    loads.push(result.machine.loadavg);
  }
}

const shipped = stats(samples.shipped);
const baseline = stats(samples['without-nodelay']);
const ratio = (key) => (baseline[key] / shipped[key]).toFixed(1);
console.log(`\nRound trip, mutation sent -> client's lockChanged shows the new status (${int(shipped.n)} + ${int(baseline.n)} commands, ${args.rounds} rounds alternating):`);
printTable([
  ['config', 'n', 'p50', 'p95', 'p99', 'max'],
  ...variants.map((v) => {
    const s = v.name === 'shipped' ? shipped : baseline;
    return [v.label, int(s.n), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)];
  }),
  ['ratio baseline / shipped', '', `${ratio('p50')}x`, `${ratio('p95')}x`, `${ratio('p99')}x`, ''],
]);
console.log(`load average (1, 5, 15 min) at the start and after each run: ${loads.map((l) => l.join(' ')).join(' -> ')}`);
saveResult('mosquitto-config', { rounds: Number(args.rounds), shipped, baseline, loads });
process.exit(0);
