// Benchmark (issue 17, item 2): the api's instructions per command, counted by valgrind's callgrind
// (every thread of the api process: the event loop, V8's helpers, SQLite's checkpoint worker). The
// round trip's timings move with the machine by more than most single changes to the api are
// worth (bench/README.md, item 2: A/Bs "no difference beyond noise"); an instruction count does
// not, so a change of a few percent of the api's work shows, and which build does less is decided.
// It says nothing about cold caches or the hops, which are the machine's (cold-costs.mjs).
//
// The same parties as roundtrip-processes.mjs, each in its own process: the compose Mosquitto, the
// simulated lock, the client sending LOCK/UNLOCK over its graphql-ws socket and waiting for its
// `lockChanged`; the api runs under callgrind with instrumentation off until the warm-up commands are
// done (`callgrind_control -i on`), then counts the measured commands (`callgrind_control -d`).
// Under callgrind the api runs ~50× slower, so the commands are not timed here.
// Needs valgrind (Debian's `valgrind`: valgrind, callgrind_control, callgrind_annotate); not in run-all.mjs.
//
//   npm run build:api && node bench/command-instructions.mjs [--commands 400] [--warmup 1500] [--pause 20]
//       [--other /path/to/other/api/dist/src/main.js] [--rounds 1] [--keep]
// The warm-up commands go 1 ms apart, with instrumentation off; the counted ones --pause apart.
// --other alternates this build with another (a built `git worktree` of an earlier commit), --rounds
// times each; the ratio is other / this. --keep leaves the callgrind dumps (the counted window, then
// the idle one) for `callgrind_annotate`, to see where the instructions go.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startApiProcess } from './api-process.mjs';
import { graphqlData } from './http-post.mjs';
import { startDeployMosquitto } from './mosquitto-deploy.mjs';
import { forkChild, int, printMachine, printTable, saveResult, sleep, waitFor } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    commands: { type: 'string', default: '400' },
    warmup: { type: 'string', default: '1500' },
    pause: { type: 'string', default: '20' },
    other: { type: 'string', default: '' },
    rounds: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const COMMANDS = Number(args.commands);
const WARMUP = Number(args.warmup);
const PAUSE = Number(args.pause);
// V8's predictable mode: no concurrent compilation or GC, no time-based heuristics, so that the same
// work counts the same (without it, three runs of one build differed by 20%).
const NODE_FLAGS = ['--predictable'];
const THIS_BUILD = new URL('../api/dist/src/main.js', import.meta.url).pathname;
const ADMIN = { username: 'bench-admin', password: `bench-${randomBytes(8).toString('hex')}` };

/**
 * callgrind_control reaches the api through vgdb's pipes, named after the prefix, the user and $HOST:
 * the api runs with HOST=127.0.0.1 (its listen address), so callgrind_control must too.
 */
function callgrindControl(pid, vgdbPrefix, ...options) {
  const env = { ...process.env, HOST: '127.0.0.1' };
  return execFileSync('callgrind_control', [`--vgdb-prefix=${vgdbPrefix}`, ...options, String(pid)], { encoding: 'utf8', timeout: 120_000, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The newest dump in `dir`: its instructions (`totals:`) and those in V8's optimizing compiler. */
function lastDump(dir) {
  const dumps = readdirSync(dir).filter((f) => /^callgrind\.out\.\d+\.\d+$/.test(f));
  const newest = dumps.sort((a, b) => Number(a.split('.').at(-1)) - Number(b.split('.').at(-1))).at(-1);
  if (!newest) throw new Error(`no callgrind dump in ${dir}`);
  const file = join(dir, newest);
  const total = /^totals:\s+(\d+)/m.exec(readFileSync(file, 'utf8'));
  if (!total) throw new Error(`no totals in ${newest}`);
  // Self instructions per function; TurboFan's are compiling, not running, the api's code.
  const annotated = execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', '--auto=no', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  let compiler = 0;
  for (const line of annotated.split('\n')) {
    const match = /^\s*([\d,]+) \(.*v8::internal::compiler::/.exec(line);
    if (match) compiler += Number(match[1].replaceAll(',', ''));
  }
  return { instructions: Number(total[1]), compiler };
}

/** The api's `data` for a query (its errors thrown), over http-post.mjs's kept-alive socket. */
const graphql = (url, query, variables, token) => graphqlData(`${url}/graphql`, token, { query, variables });

/** One build: its instructions per measured command. */
async function measure(main) {
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const outDir = mkdtempSync(join(os.tmpdir(), 'smartlock-callgrind-'));
  const vgdb = join(outDir, 'vgdb');
  const mosquitto = await startDeployMosquitto({ topicPrefix: prefix });
  const api = await startApiProcess({
    main,
    execArgv: NODE_FLAGS,
    wrapper: ['valgrind', '--tool=callgrind', '--instr-atstart=no', `--vgdb-prefix=${vgdb}`, `--callgrind-out-file=${join(outDir, 'callgrind.out.%p')}`],
    // Valgrind slows the event loop by ~50×: the overload guard must not shed what the count is of.
    env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, OVERLOAD_LAG_MS: '60000', ...mosquitto.apiEnv },
  });
  let lock;
  let client;
  try {
    const { signIn } = await graphql(api.url, 'mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) { accessToken } }', { u: ADMIN.username, p: ADMIN.password });
    const token = signIn.accessToken;
    const { registerLock } = await graphql(api.url, 'mutation($d: ID!, $n: String!) { registerLock(deviceId: $d, name: $n) { deviceSecret } }', { d: 'cg-lock', n: 'cg-lock' }, token);
    lock = forkChild('./roundtrip-lock.mjs');
    await lock.request({ type: 'start', options: { brokerUrl: mosquitto.url, deviceId: 'cg-lock', deviceSecret: registerLock.deviceSecret, topicPrefix: prefix } }, 'started');
    await waitFor(async () => (await graphql(api.url, '{ locks { status } }', {}, token)).locks.every((l) => l.status === 'LOCKED' || l.status === 'UNLOCKED'), 120_000, 'the lock online');
    // One client and socket for the warm-up and the count: a new connection brings new closures,
    // and V8 throws away code optimized for the old ones (`--trace-deopt`: "wrong call target").
    client = forkChild('./roundtrip-client.mjs');
    await client.request({ type: 'run', httpUrl: `${api.url}/graphql`, wsUrl: `${api.url.replace('http', 'ws')}/graphql`, token, deviceId: 'cg-lock', commands: COMMANDS, warmup: WARMUP, pauseMs: PAUSE, warmupPauseMs: 1, holdAfterWarmup: true, transport: 'ws' }, 'warmed');
    callgrindControl(api.pid, vgdb, '-i', 'on');
    const t0 = performance.now();
    const done = await client.request({ type: 'measure' }, 'done');
    const seconds = (performance.now() - t0) / 1000;
    callgrindControl(api.pid, vgdb, '-d');
    const counted = lastDump(outDir);
    // What the api does with no command at all (its timers, the lock's heartbeats), as long again.
    await sleep(seconds * 1000);
    callgrindControl(api.pid, vgdb, '-d');
    const idle = lastDump(outDir);
    if (Object.keys(done.failures).length > 0) throw new Error(`commands failed: ${JSON.stringify(done.failures)}`);
    // TurboFan's work is left out of both windows: when it runs depends on time (V8 optimizes a
    // function once it has run enough, and the warm-up never quite ends), the api's own work does not.
    // The idle window is not subtracted from the figure that decides: V8's memory reducer collects
    // garbage once allocation stops, in that window or not, so the idle api measured 1.0-4.0 M
    // instructions/s in runs of one build (bench/README.md, item 2, twelfth session).
    const running = (dump) => dump.instructions - dump.compiler;
    return {
      perCommand: running(counted) / COMMANDS,
      lessIdle: (running(counted) - running(idle)) / COMMANDS,
      gross: counted.instructions / COMMANDS,
      idlePerSecond: running(idle) / seconds,
      compilerShare: counted.compiler / counted.instructions,
    };
  } finally {
    await client?.stop();
    await lock?.stop();
    await api.stop();
    await mosquitto.stop();
    if (args.keep) console.log(`callgrind dumps kept in ${outDir}`);
    else rmSync(outDir, { recursive: true, force: true });
  }
}

printMachine('The api\'s instructions per command (callgrind)');
console.log(`${COMMANDS} measured commands after ${WARMUP} warm-up, ${PAUSE} ms apart, over the client's graphql-ws socket; compose Mosquitto`);
const builds = [{ name: 'this build', main: THIS_BUILD }, ...(args.other ? [{ name: 'other build', main: args.other }] : [])];
const rows = [];
for (let round = 1; round <= Number(args.rounds); round++) {
  for (const build of builds) {
    const { perCommand, lessIdle, gross, idlePerSecond, compilerShare } = await measure(build.main);
    rows.push({ round, build: build.name, perCommand, lessIdle, gross, idlePerSecond, compilerShare });
    console.log(`round ${round}, ${build.name}: ${int(perCommand)} instructions per command (${int(lessIdle)} less the idle api's); counted: ${int(gross)} per command, ${(100 * compilerShare).toFixed(1)}% of them in V8's optimizing compiler; the idle api's ${int(idlePerSecond)}/s`);
  }
}
const mean = (name) => rows.filter((r) => r.build === name).reduce((s, r, _, all) => s + r.perCommand / all.length, 0);
console.log('\nSummary (instructions of the api process per command, every thread, less V8 optimizing):');
printTable([
  ['round', 'build', 'instructions per command', 'less the idle api\'s', 'compiling (TurboFan), not counted', 'ratio to this build (same round)'],
  ...rows.map((r) => [String(r.round), r.build, int(r.perCommand), int(r.lessIdle), `${(100 * r.compilerShare).toFixed(1)}%`, (r.perCommand / rows.find((x) => x.round === r.round && x.build === 'this build').perCommand).toFixed(3)]),
]);
if (args.other) console.log(`other / this, means over ${args.rounds} round(s): ${(mean('other build') / mean('this build')).toFixed(3)}`);
saveResult('command-instructions', { commands: COMMANDS, warmup: WARMUP, pauseMs: PAUSE, rows });
process.exit(0);
