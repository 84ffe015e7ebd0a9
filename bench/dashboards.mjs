// Benchmark (issue 17, item 4): live dashboards. Thousands of graphql-ws subscribers (admins'
// all-locks feeds and owners' per-lock feeds, opened from child processes) receive signed visible
// status changes that a publisher child sends at a fixed rate; the compiled api runs in its own
// process. Prints delivery latency p50/p95/p99 (send by the lock -> event parsed by the dashboard),
// missed deliveries, events of someone else's lock (must be 0), deliveries/s, the api's RSS
// (before subscribers, with them) and CPU per subscriber and per delivery, and the load average.
// A baseline in the same run: the same changes with 100 subscribers in the same mix.
//
//   node bench/dashboards.mjs [--subscribers 10000] [--admins 10] [--locks 1000] [--owners 100]
//                             [--procs 4] [--rate 1000] [--seconds 30] [--baseline 100]
//                             [--broker aedes|mosquitto] [--profile] [--quick]
//
// --profile runs the api with --cpu-prof (bench/profiles/dashboards-api-*.cpuprofile).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { BENCH_DIR, forkChild, int, ms, printMachine, printTable, saveResult, sleep, stats } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '10000' },
    admins: { type: 'string', default: '10' },
    locks: { type: 'string', default: '10000' },
    owners: { type: 'string', default: '1000' },
    procs: { type: 'string', default: '4' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '30' },
    baseline: { type: 'string', default: '100' },
    broker: { type: 'string', default: 'aedes' },
    'mosquitto-url': { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    profile: { type: 'boolean', default: false },
    disk: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
  },
});
if (args.quick) Object.assign(args, { subscribers: '400', admins: '2', locks: '400', owners: '40', procs: '2', rate: '200', seconds: '5', baseline: '20' });
const SUBSCRIBERS = Number(args.subscribers);
const ADMINS = Number(args.admins);
const LOCKS = Number(args.locks);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const PROCS = Number(args.procs);


/** This process's soft limit on open files (children inherit it), from /proc on Linux. */
function openFilesLimit() {
  try {
    return /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The share of the last 10 s in which some runnable task waited for a CPU (Linux PSI): how contended the machine was. */
function cpuPressure() {
  try {
    return Number(/some avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1]);
  } catch {
    return NaN;
  }
}

const m = printMachine('Live dashboards: graphql-ws subscribers of lock changes');
console.log(`${int(SUBSCRIBERS)} subscribers (${ADMINS} admins' all-locks feeds, the rest owners' per-lock feeds) in ${PROCS} processes; ${int(LOCKS)} locks of ${args.owners} owners; ${int(RATE)} changes/s for ${SECONDS} s; baseline ${args.baseline} subscribers; broker ${args.broker}; api data ${!args.disk && existsSync('/dev/shm') ? 'on tmpfs' : 'on disk'}; open files limit ${openFilesLimit()} (the api holds one socket per subscriber)`);

// Locks send only changes here (no heartbeats): a long pause between phases must not declare them offline.
const env = { LOG_LEVEL: 'silent', OFFLINE_AFTER_MS: '600000' };
if (args.broker === 'mosquitto') Object.assign(env, { MQTT_URL: args['mosquitto-url'], MQTT_USERNAME: 'bench', MQTT_PASSWORD: 'bench' });
const profileDir = `${BENCH_DIR}profiles`;
if (args.profile) mkdirSync(profileDir, { recursive: true });
// The api's SQLite files on tmpfs unless --disk: on this shared machine other sessions' disk
// writes stalled the api's event loop for seconds, which says nothing about live delivery.
const dataOnTmpfs = !args.disk && existsSync('/dev/shm');
const apiEnv = dataOnTmpfs ? { ...process.env, TMPDIR: '/dev/shm' } : process.env;
const apiProc = forkChild('./dashboards-api.mjs', { execArgv: ['--expose-gc', ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-name=dashboards-api.cpuprofile'] : [])], env: apiEnv });
const tSetup = performance.now();
const setup = await apiProc.request({ type: 'setup', env, owners: Number(args.owners), admins: ADMINS, locks: LOCKS }, 'ready');
console.log(`api up, ${int(LOCKS)} locks registered in ${((performance.now() - tSetup) / 1000).toFixed(1)} s`);
const usage = async (gc = false) => {
  if (gc) await apiProc.request({ type: 'gc' }, 'gc');
  return apiProc.request({ type: 'usage' }, 'usage');
};

const publisher = forkChild('./dashboards-publisher.mjs');
await publisher.request({ type: 'setup', brokerUrl: setup.brokerUrl, prefix: setup.prefix, devices: setup.devices }, 'ready');
for (let i = 0; i < 100 && (await usage()).changesAccepted < LOCKS; i++) await sleep(100);
const idleApi = await usage(true);
console.log(`locks online; api RSS before subscribers ${(idleApi.rss / 2 ** 20).toFixed(0)} MB (heap ${(idleApi.heapUsed / 2 ** 20).toFixed(0)} MB)`);

/** The next change index; each phase starts on a whole round (a multiple of LOCKS). */
let nextChange = 0;
const roundUp = (i) => Math.ceil(i / LOCKS) * LOCKS;

/** `count` subscriptions in the benchmark's mix: admins' all-locks feeds, then owners' per-lock feeds. */
function mix(count) {
  const admins = Math.max(1, Math.round((count * ADMINS) / SUBSCRIBERS));
  const subs = [];
  for (let a = 0; a < admins; a++) subs.push({ deviceIndex: -1, token: setup.adminTokens[a % setup.adminTokens.length] });
  for (let j = 0; j < count - admins; j++) {
    const L = j % LOCKS;
    subs.push({ deviceIndex: L, token: setup.ownerTokens[setup.devices[L].owner] });
  }
  return { subs, admins };
}

async function phase(label, count) {
  console.log(`\n--- ${label}: ${int(count)} subscribers ---`);
  const { subs, admins } = mix(count);
  const procs = Math.min(PROCS, Math.ceil(count / 100));
  const children = Array.from({ length: procs }, () => forkChild('./dashboards-subscribers.mjs'));
  nextChange = roundUp(nextChange);
  const firstK = nextChange / LOCKS;
  const tOpen = performance.now();
  const opened = await Promise.all(
    children.map((c, p) => c.request({ type: 'open', wsUrl: setup.wsUrl, subscriptions: subs.filter((_, j) => j % procs === p), locks: LOCKS, firstK }, 'opened')),
  );
  const closedAtOpen = opened.reduce((s, o) => s + o.closed, 0);
  console.log(`  opened in ${((performance.now() - tOpen) / 1000).toFixed(1)} s${closedAtOpen ? `; ${closedAtOpen} sockets closed at once: ${JSON.stringify(opened.flatMap((o) => o.errors))}` : ''}`);
  await sleep(1000);
  const withSubs = await usage(true);
  // Idle: subscribers open, no changes.
  const idle0 = await usage();
  await sleep(3000);
  const idle1 = await usage();
  const idleCpu = (idle1.cpuMicros - idle0.cpuMicros) / ((idle1.at - idle0.at) * 1000);

  // Warm-up: one round (each lock changes once) until every feed has seen its locks' change.
  await publisher.request({ type: 'run', from: nextChange, rate: RATE, seconds: LOCKS / RATE }, 'done');
  nextChange += LOCKS;
  let caughtUp = 0;
  for (let t = 0; t < 300; t++) {
    const p = await Promise.all(children.map((c) => c.request({ type: 'progress', k: firstK }, 'progress')));
    caughtUp = p.reduce((s, x) => s + x.caughtUp, 0);
    if (caughtUp === count) break;
    await sleep(100);
  }
  console.log(`  warm-up round: ${int(caughtUp)}/${int(count)} feeds live`);

  // The timed part.
  nextChange = roundUp(nextChange);
  const from = nextChange;
  const load0 = os.loadavg();
  const pressure = [];
  const pressureTimer = setInterval(() => pressure.push(cpuPressure()), 5000);
  const u0 = await usage();
  const run = await publisher.request({ type: 'run', from, rate: RATE, seconds: SECONDS }, 'done');
  nextChange = from + run.sentAt.length;
  const uSent = await usage();
  await sleep(3000); // deliveries still queued
  const u1 = await usage();
  const load1 = os.loadavg();
  clearInterval(pressureTimer);
  const judged = await Promise.all(children.map((c) => c.request({ type: 'judge', from, sentAt: run.sentAt }, 'judged')));
  await Promise.all(children.map((c) => c.request({ type: 'close' }, 'closed')));
  for (const c of children) c.proc.kill();

  const latencies = judged.flatMap((j) => j.latencies);
  const subscriberCpuSeconds = judged.reduce((s, j) => s + j.cpuMicros, 0) / 1e6;
  const delivered = judged.reduce((s, j) => s + j.delivered, 0);
  const cpuMicros = u1.cpuMicros - u0.cpuMicros;
  const changesSent = run.sentAt.filter((t) => t >= 0).length;
  return {
    label,
    subscribers: count,
    admins,
    perLock: count - admins,
    seconds: run.seconds,
    changesSent,
    changesAccepted: u1.changesAccepted - u0.changesAccepted,
    expected: judged.reduce((s, j) => s + j.delivered + j.missed, 0),
    delivered,
    deliveriesPerSecond: delivered / run.seconds,
    missed: judged.reduce((s, j) => s + j.missed, 0),
    foreign: judged.reduce((s, j) => s + j.foreign, 0),
    inconsistent: judged.reduce((s, j) => s + j.inconsistent, 0),
    socketsClosed: judged.reduce((s, j) => s + j.closed, 0),
    errors: judged.flatMap((j) => j.errors).slice(0, 5),
    latency: stats(latencies),
    perLockLatency: stats(judged.flatMap((j) => j.perLockLatencies)),
    offlineEvents: judged.reduce((s, j) => s + j.offline, 0),
    rssBeforeMb: idleApi.rss / 2 ** 20,
    rssWithMb: withSubs.rss / 2 ** 20,
    rssPerSubscriberKb: (withSubs.rss - idleApi.rss) / 1024 / count,
    rssAfterRunMb: u1.rss / 2 ** 20,
    idleCpuCores: idleCpu,
    cpuCoresWhileSending: (uSent.cpuMicros - u0.cpuMicros) / ((uSent.at - u0.at) * 1000),
    cpuMicros,
    cpuMicrosPerDelivery: cpuMicros / delivered,
    cpuMicrosPerSubscriberSecond: cpuMicros / count / ((u1.at - u0.at) / 1000),
    apiLagWhileSending: uSent.lag,
    subscriberCpuMicrosPerDelivery: (subscriberCpuSeconds * 1e6) / delivered,
    cpuPressure: pressure,
    loadavg: { start: load0.map((v) => Number(v.toFixed(2))), end: load1.map((v) => Number(v.toFixed(2))) },
  };
}

const results = [];
try {
  results.push(await phase('baseline', Number(args.baseline)));
  results.push(await phase('dashboards', SUBSCRIBERS));
} finally {
  publisher.proc.send({ type: 'stop' });
  await new Promise((resolve) => (apiProc.proc.once('exit', resolve), apiProc.proc.send({ type: 'stop' })));
}

for (const r of results) {
  console.log(`\n${r.label}: ${int(r.subscribers)} subscribers (${r.admins} all-locks, ${int(r.perLock)} per-lock), ${int(r.changesSent)} changes in ${r.seconds.toFixed(1)} s (api accepted ${int(r.changesAccepted)})`);
  console.log(`  delivered ${int(r.delivered)}/${int(r.expected)} (${int(r.deliveriesPerSecond)}/s), missed ${int(r.missed)}, someone else's lock ${r.foreign}, unmatched ${r.inconsistent}, offline events ${r.offlineEvents}, sockets closed ${r.socketsClosed}${r.errors.length ? `, errors ${JSON.stringify(r.errors)}` : ''}`);
  console.log(`  latency p50 ${ms(r.latency.p50, 1)} p95 ${ms(r.latency.p95, 1)} p99 ${ms(r.latency.p99, 1)} max ${ms(r.latency.max, 0)}; per-lock feeds alone (${int(r.perLockLatency.n)}): p50 ${ms(r.perLockLatency.p50, 1)} p99 ${ms(r.perLockLatency.p99, 1)}`);
  console.log(`  api RSS ${r.rssBeforeMb.toFixed(0)} MB before subscribers, ${r.rssWithMb.toFixed(0)} MB with them (${r.rssPerSubscriberKb.toFixed(1)} KB each), ${r.rssAfterRunMb.toFixed(0)} MB after the run`);
  console.log(`  api CPU: idle with subscribers ${(100 * r.idleCpuCores).toFixed(1)}% of a core; while sending ${(100 * r.cpuCoresWhileSending).toFixed(0)}%; ${r.cpuMicrosPerDelivery.toFixed(1)} µs per delivery, ${r.cpuMicrosPerSubscriberSecond.toFixed(1)} µs per subscriber per second`);
  console.log(`  api event-loop delay while sending p99 ${ms(r.apiLagWhileSending.p99Ms, 0)}, max ${ms(r.apiLagWhileSending.maxMs, 0)}; subscriber processes ${r.subscriberCpuMicrosPerDelivery.toFixed(1)} µs CPU per delivery (since open)`);
  console.log(`  load average ${r.loadavg.start.join(' ')} -> ${r.loadavg.end.join(' ')}; CPU pressure (some avg10, % of time a task waited for a CPU) ${r.cpuPressure.join(' ')}`);
}
const [base, dash] = results;
const ratio = (a, b) => (b ? (a / b).toFixed(1) : 'n/a');
console.log('\nSummary (goal from issue 17, item 4: p99 <= 500 ms at 1,000 changes/s for 10,000 subscribers):');
printTable([
  ['measure', 'goal', `baseline (${base.subscribers})`, `dashboards (${dash.subscribers})`, 'ratio'],
  ['delivery p99', '<= 500 ms', ms(base.latency.p99, 1), ms(dash.latency.p99, 1), ratio(dash.latency.p99, base.latency.p99)],
  ['delivery p99, per-lock feeds alone', '—', ms(base.perLockLatency.p99, 1), ms(dash.perLockLatency.p99, 1), ratio(dash.perLockLatency.p99, base.perLockLatency.p99)],
  ['delivery p50', '—', ms(base.latency.p50, 1), ms(dash.latency.p50, 1), ratio(dash.latency.p50, base.latency.p50)],
  ['deliveries/s', '—', int(base.deliveriesPerSecond), int(dash.deliveriesPerSecond), ratio(dash.deliveriesPerSecond, base.deliveriesPerSecond)],
  ['missed deliveries', '0', int(base.missed), int(dash.missed), '—'],
  ["events of someone else's lock", '0', base.foreign, dash.foreign, '—'],
  ['api CPU µs per delivery', '—', base.cpuMicrosPerDelivery.toFixed(1), dash.cpuMicrosPerDelivery.toFixed(1), ratio(dash.cpuMicrosPerDelivery, base.cpuMicrosPerDelivery)],
  ['api CPU µs per delivery beyond the baseline\'s', '—', '—', ((dash.cpuMicros - base.cpuMicros) / (dash.delivered - base.delivered)).toFixed(1), '—'],
  ['api CPU while sending', '—', `${(100 * base.cpuCoresWhileSending).toFixed(0)}%`, `${(100 * dash.cpuCoresWhileSending).toFixed(0)}%`, ratio(dash.cpuCoresWhileSending, base.cpuCoresWhileSending)],
  ['api RSS with subscribers', '—', `${base.rssWithMb.toFixed(0)} MB`, `${dash.rssWithMb.toFixed(0)} MB`, `${dash.rssPerSubscriberKb.toFixed(1)} KB/subscriber`],
]);
const met = dash.latency.p99 <= 500 && dash.missed === 0 && dash.foreign === 0;
console.log(`goal ${met ? 'MET' : 'NOT met'}; machine: ${m.cores} cores, load average at start ${m.loadavg.join(' ')}, at end ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
saveResult(`dashboards${args.quick ? '-quick' : ''}`, { args, results });
process.exit(0);
