// Benchmark (issue 9, item 4): an anonymous CPU burn. The attack is one ~97 KB query repeating
// `me { username }` 7,500 times, sent without a token at --rate per second (not waiting for the
// answers). Meanwhile a prober GETs /healthz every --probe-ms and times each answer. Phases, in one
// run against one api process: idle baseline, then under attack. Prints /healthz p50/p95/p99/max
// for both, the ratio of the p99s, and what the attack got back (status, code, time).
//
//   node bench/graphql-burn.mjs [--seconds 10] [--rate 10] [--probe-ms 20]
//
// Goal: /healthz p99 under attack <= 50 ms.
import { fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import { int, ms, printMachine, printTable, saveResult, sleep, stats } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '10' },
    'probe-ms': { type: 'string', default: '20' },
  },
});
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const PROBE_MS = Number(args['probe-ms']);
/** A probe not answered by then counts as failed, at this latency. */
const PROBE_TIMEOUT_MS = 5000;
const ATTACK = JSON.stringify({ query: `{${'me{username} '.repeat(7500)}}` });

const m = printMachine('Anonymous GraphQL CPU burn: /healthz while an attacker sends 97 KB queries');
console.log(`attack body: ${int(ATTACK.length)} bytes, ${RATE}/s for ${SECONDS} s; /healthz every ${PROBE_MS} ms`);

const server = fork(new URL('./graphql-burn-server.mjs', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const url = await new Promise((resolve, reject) => {
  server.once('message', (message) => resolve(message.url));
  server.once('exit', (code) => reject(new Error(`api process exited with ${code}`)));
});

/** GETs /healthz every PROBE_MS for `seconds` (the next probe starts on schedule, not after the last answer). */
async function probe(seconds) {
  const latencies = [];
  const pending = [];
  let failures = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const started = performance.now();
    pending.push(
      fetch(`${url}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
        .then(async (response) => {
          await response.arrayBuffer();
          latencies.push(performance.now() - started);
        })
        .catch(() => {
          // Counted at the timeout, so that a stalled server cannot flatter the percentiles.
          failures += 1;
          latencies.push(PROBE_TIMEOUT_MS);
        }),
    );
    await sleep(PROBE_MS);
  }
  await Promise.all(pending);
  return { ...stats(latencies), failures };
}

/** Sends the attack at RATE/s until `stop()`; then abandons what is unanswered and resolves with what came back. */
function attack() {
  const answers = [];
  const pending = [];
  const abandon = new AbortController();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      pending.push(
        fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ATTACK, signal: abandon.signal }).then(async (response) => {
          const body = await response.json();
          answers.push({ status: response.status, code: body.errors?.[0]?.extensions?.code ?? 'none', ms: performance.now() - started });
        }).catch((error) => answers.push({ status: abandon.signal.aborted ? 'unanswered' : 'failed', code: error.cause?.code ?? error.name, ms: performance.now() - started })),
      );
      await sleep(1000 / RATE);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      abandon.abort();
      await Promise.all(pending);
      return answers;
    },
  };
}

/** The api process's CPU time so far (user + system), in ms. */
function apiCpuMs() {
  return new Promise((resolve) => {
    const onMessage = (message) => {
      if (message.type !== 'cpu') return;
      server.off('message', onMessage);
      resolve((message.micros.user + message.micros.system) / 1000);
    };
    server.on('message', onMessage);
    server.send({ type: 'cpu' });
  });
}

await probe(2); // warm-up: JIT, connection pool
const idleCpuStart = await apiCpuMs();
const idle = await probe(SECONDS);
const idleCpu = (await apiCpuMs()) - idleCpuStart;
const attacker = attack();
const attackCpuStart = await apiCpuMs();
const underAttack = await probe(SECONDS);
const answers = await attacker.stop();
const attackCpu = (await apiCpuMs()) - attackCpuStart;
server.send({ type: 'stop' });
await new Promise((resolve) => server.once('exit', resolve));

const codes = {};
for (const a of answers) codes[`${a.status} ${a.code}`] = (codes[`${a.status} ${a.code}`] ?? 0) + 1;
const attackTimes = stats(answers.map((a) => a.ms));
console.log();
printTable([
  ['phase', 'probes', 'failed', 'p50', 'p95', 'p99', 'max'],
  ['idle', int(idle.n), int(idle.failures), ms(idle.p50), ms(idle.p95), ms(idle.p99), ms(idle.max)],
  [`attack ${RATE}/s`, int(underAttack.n), int(underAttack.failures), ms(underAttack.p50), ms(underAttack.p95), ms(underAttack.p99), ms(underAttack.max)],
]);
console.log(`\n/healthz p99 under attack / idle: ${(underAttack.p99 / idle.p99).toFixed(2)}x; goal p99 <= 50 ms: ${underAttack.p99 <= 50 ? 'met' : 'not met'}`);
console.log(`api CPU: idle ${ms(idleCpu, 0)}, under attack ${ms(attackCpu, 0)}; ${ms((attackCpu - idleCpu) / Math.max(1, answers.length))} more per attack request`);
console.log(`attack requests: ${answers.length}, answers ${JSON.stringify(codes)}, answer time p50 ${ms(attackTimes.p50)}, p99 ${ms(attackTimes.p99)}`);
console.log(`load average at end: ${(await import('node:os')).loadavg().map((v) => v.toFixed(2)).join(' ')}`);
saveResult('graphql-burn', { rate: RATE, seconds: SECONDS, idle, underAttack, apiCpuMs: { idle: idleCpu, underAttack: attackCpu }, attack: { codes, times: attackTimes }, machineAtStart: m });
