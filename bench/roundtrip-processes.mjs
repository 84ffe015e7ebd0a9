// Benchmark (issue 17, item 2): the command round trip with every party in its own process, as in
// a deployment: the compiled api (`node api/dist/src/main.js`), the broker (the api's embedded one,
// which runs in a process of its own, or the compose Mosquitto), the lock (a simulated lock
// speaking the protocol) and the person's client (the mutation on its graphql-ws socket, or over HTTP,
// and `lockChanged` on that socket).
// Round trip = mutation sent until the client's lockChanged shows the new status, on the client's
// clock. Measured at idle and with a fleet of 200 other locks offering heartbeats in the background
// (a fifth process), alternating phases so that both see the same machine.
//
//   node bench/roundtrip-processes.mjs [--commands 500] [--warmup 50] [--brokers embedded,mosquitto]
//                                      [--background 10000] [--background-locks 200] [--rounds 1] [--profile DIR]
//                                      [--pause 20,1]   (ms between commands: each phase runs once per pause; 20 lets
//                                      every process go idle between commands, as people's commands do, 1 keeps them warm)
//                                      [--transport ws|http]   (how the client sends its mutations: ws as the
//                                      app does while its live socket is open, http as scripts and integrations do)
//                                      [--floors raw,guarded]   (raw: the same hops with nothing of the product;
//                                      guarded: those hops plus the store writes and signatures the product's
//                                      guarantees put on the path, with the api's own store: roundtrip-raw.mjs)
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startDeployMosquitto } from './mosquitto-deploy.mjs';
import { startApiProcess } from './api-process.mjs';
import { graphqlData } from './http-post.mjs';
import { startBareMosquitto } from './bare-mosquitto.mjs';
import { forkChild, freePort, int, machine, ms, printMachine, printTable, saveResult, sleep, stats, waitFor } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    commands: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '50' },
    brokers: { type: 'string', default: 'embedded,mosquitto' },
    background: { type: 'string', default: '10000' },
    'background-locks': { type: 'string', default: '200' },
    rounds: { type: 'string', default: '1' },
    pause: { type: 'string', default: '20,1' },
    profile: { type: 'string', default: '' },
    transport: { type: 'string', default: 'ws' },
    floors: { type: 'string', default: 'raw,guarded' },
  },
});
const COMMANDS = Number(args.commands);
const WARMUP = Number(args.warmup);
const BACKGROUND = Number(args.background);
const FLEET = Number(args['background-locks']);
const PAUSES = args.pause.split(',').map(Number);
const FLOORS = args.floors.split(',');
if (FLOORS.some((floor) => floor !== 'raw' && floor !== 'guarded')) throw new Error(`--floors takes raw and guarded, not ${args.floors}`);
const ADMIN = { username: 'bench-admin', password: `bench-${randomBytes(8).toString('hex')}` };



/** The api in its own process, with the benchmark's admin; --profile DIR writes its V8 CPU profile on exit. */
function startApi(env) {
  const execArgv = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
  const onLog = (entry, line) => entry.level >= 50 && console.error(`api error: ${line.slice(0, 300)}`);
  return startApiProcess({ env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...env }, execArgv, onLog });
}

/** The api's `data` for a query (its errors thrown), over http-post.mjs's kept-alive socket. */
const graphql = (url, query, variables, token) => graphqlData(`${url}/graphql`, token, { query, variables });

/** Idle, then (with a fleet) under its background load; each once per pause between commands. */
const PHASES = (BACKGROUND > 0 && FLEET > 0 ? [0, BACKGROUND] : [0]).flatMap((background) => PAUSES.map((pause) => ({ background, pause })));

/**
 * One phase: the fleet offers `background` heartbeats/s (2 s at its rate first) while `measure`
 * runs; resolves to what `measure` did and the rate the fleet actually sent.
 */
async function phase(publisher, background, measure) {
  if (background === 0) return { ...(await measure()), heartbeatsPerS: 0 };
  const fleetDone = publisher.request({ type: 'run', rate: background, changes: 0, seconds: 3600 }, 'done');
  await sleep(2000);
  const measured = await measure();
  publisher.proc.send({ type: 'stop-run' });
  const report = await fleetDone;
  return { ...measured, heartbeatsPerS: report.heartbeats / report.seconds };
}

/** A client process of its own sends the timed commands to the server at `url`; its report. */
async function runClient(url, token, deviceId, pauseMs) {
  const client = forkChild('./roundtrip-client.mjs');
  try {
    return await client.request({ type: 'run', httpUrl: `${url}/graphql`, wsUrl: `${url.replace('http', 'ws')}/graphql`, token, deviceId, commands: COMMANDS, warmup: WARMUP, pauseMs, transport: args.transport }, 'done');
  } finally {
    await client.stop();
  }
}

/**
 * The floor: the same processes and hops (client → HTTP server → broker → lock → broker → server →
 * WebSocket → client) with nothing of the product in them (roundtrip-raw.mjs). The broker is the
 * same engine: a bare aedes process, or Mosquitto with the shipped set_tcp_nodelay and no plugin.
 * Measured at idle and under the same background fleet as the api (its statuses signed as they are
 * sent, delivered to the raw server, which parses each): what the machine alone does to the hops
 * while two cores also carry the fleet. One entry per phase. `floor` 'guarded' adds the steps the
 * product's guarantees put on the path (roundtrip-raw.mjs): what no api that keeps them can go below.
 */
async function measureRaw(kind, floor) {
  const prefix = `raw-${randomBytes(4).toString('hex')}`;
  const guarded = floor === 'guarded';
  const key = randomBytes(32).toString('hex');
  const parts = [];
  let mosquitto;
  try {
    let brokerUrl;
    if (kind === 'mosquitto') {
      mosquitto = await startBareMosquitto();
      brokerUrl = mosquitto.url;
    } else {
      const broker = forkChild('./roundtrip-raw.mjs', { argv: ['broker'] });
      parts.push(broker);
      brokerUrl = (await broker.request({ type: 'start' }, 'ready')).url;
    }
    const echo = forkChild('./roundtrip-raw.mjs', { argv: ['echo'] });
    parts.push(echo);
    await echo.request({ type: 'start', brokerUrl, prefix, deviceId: 'raw-lock', guarded, key }, 'ready');
    const server = forkChild('./roundtrip-raw.mjs', { argv: ['server'] });
    parts.push(server);
    const { url } = await server.request({ type: 'start', brokerUrl, prefix, deviceId: 'raw-lock', guarded, key }, 'ready');
    const publisher = forkChild('./overload-publisher.mjs');
    parts.push(publisher);
    const fleet = Array.from({ length: FLEET }, (_, i) => ({ deviceId: `raw-fleet-${String(i).padStart(4, '0')}`, deviceSecret: randomBytes(32).toString('hex'), mqttPassword: 'unused' }));
    if (FLEET > 0) await publisher.request({ type: 'setup', brokerUrl, prefix, devices: fleet }, 'ready');
    const results = [];
    for (const { background, pause } of PHASES) {
      const { done, load0, heartbeatsPerS } = await phase(publisher, background, async () => ({ load0: machine().loadavg[0], done: await runClient(url, 'raw', 'raw-lock', pause) }));
      results.push({ kind: `${kind}, ${floor}`, background, pause, seen: stats(done.samples.map((x) => x.seen)), httpReply: stats(done.samples.map((x) => x.http)), failures: done.failures, apiCpuPct: NaN, heartbeatsPerS, load: [load0, machine().loadavg[0]] });
    }
    return results;
  } finally {
    for (const p of parts.reverse()) await p.stop();
    await mosquitto?.stop();
  }
}

async function measureBroker(kind) {
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const mosquitto = kind === 'mosquitto' ? await startDeployMosquitto({ topicPrefix: prefix }) : null;
  const env = mosquitto ? mosquitto.apiEnv : { MQTT_PORT: String(await freePort()), MQTT_TLS_PORT: 'off', MQTT_HOST: '127.0.0.1', MQTT_TOPIC_PREFIX: prefix };
  const api = await startApi(env);
  const brokerUrl = mosquitto?.url ?? api.broker;
  const parts = [];
  try {
    const { signIn } = await graphql(api.url, 'mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) { accessToken } }', { u: ADMIN.username, p: ADMIN.password });
    const token = signIn.accessToken;
    const register = (deviceId) => graphql(api.url, 'mutation($d: ID!, $n: String!) { registerLock(deviceId: $d, name: $n) { deviceSecret mqttPassword } }', { d: deviceId, n: deviceId }, token).then((d) => ({ deviceId, ...d.registerLock }));
    const commandLock = await register('rt-lock');
    const fleet = [];
    for (let i = 0; i < FLEET; i++) fleet.push(await register(`rt-fleet-${String(i).padStart(4, '0')}`));

    const lock = forkChild('./roundtrip-lock.mjs');
    parts.push(lock);
    await lock.request({ type: 'start', holdMarks: true, options: { brokerUrl, deviceId: commandLock.deviceId, deviceSecret: commandLock.deviceSecret, topicPrefix: prefix } }, 'started');
    const publisher = forkChild('./overload-publisher.mjs');
    parts.push(publisher);
    if (FLEET > 0) await publisher.request({ type: 'setup', brokerUrl, prefix, devices: fleet }, 'ready');
    const online = async () => (await graphql(api.url, '{ locks { status } }', {}, token)).locks.every((l) => l.status !== 'UNAVAILABLE' && l.status !== 'UNKNOWN');
    await waitFor(online, 60_000, 'every lock online');

    const results = [];
    for (let round = 0; round < Number(args.rounds); round++) {
      for (const { background, pause } of PHASES) {
        const { done, load0, seconds, apiCpu, heartbeatsPerS } = await phase(publisher, background, async () => {
          const cpu0 = api.cpuMs();
          const load0 = machine().loadavg[0];
          const t0 = performance.now();
          const done = await runClient(api.url, token, commandLock.deviceId, pause);
          return { done, load0, seconds: (performance.now() - t0) / 1000, apiCpu: api.cpuMs() - cpu0 };
        });
        const seen = stats(done.samples.map((s) => s.seen));
        const httpReply = stats(done.samples.map((s) => s.http));
        // When the lock answered each command (on the shared wall clock), asked for after the phase:
        // splits the round trip into the way there (api, broker, lock) and back (broker, api, client).
        const answeredAt = new Map((await lock.request({ type: 'marks' }, 'marks')).marks.map((m) => [m.id, m.at]));
        const answered = done.samples.filter((s) => answeredAt.has(s.id));
        const there = stats(answered.map((s) => answeredAt.get(s.id) - s.sentAt));
        const back = stats(answered.map((s) => s.sentAt + s.seen - answeredAt.get(s.id)));
        results.push({ kind, background, pause, round, seen, httpReply, there, back, failures: done.failures, apiCpuPct: (apiCpu / 1000 / seconds) * 100, apiCpuMsPerCommand: apiCpu / (COMMANDS + WARMUP), heartbeatsPerS, load: [load0, machine().loadavg[0]] });
        const r = results.at(-1);
        console.log(`${kind}, background ${int(background)}/s, ${pause} ms apart: p50 ${ms(seen.p50)} p95 ${ms(seen.p95)} p99 ${ms(seen.p99)} (n ${seen.n}; mutation reply p50 ${ms(httpReply.p50)}; sent → lock answered p50 ${ms(there.p50)} p99 ${ms(there.p99)}, lock answered → seen p50 ${ms(back.p50)} p99 ${ms(back.p99)}); api CPU ${r.apiCpuPct.toFixed(0)}% (${r.apiCpuMsPerCommand.toFixed(2)} ms per command); heartbeats sent ${int(r.heartbeatsPerS)}/s; failures ${JSON.stringify(done.failures)}; load ${r.load.join(' → ')}`);
      }
    }
    return results;
  } finally {
    for (const p of parts.reverse()) await p.stop();
    await api.stop();
    await mosquitto?.stop();
  }
}

printMachine('Command round trip, every party in its own process');
console.log(`${COMMANDS} sequential commands (after ${WARMUP} warm-up) per phase, ${PAUSES.join(' or ')} ms apart, mutations over ${args.transport}; background: ${FLEET} locks offering ${int(BACKGROUND)} heartbeats/s`);
const all = [];
for (const kind of args.brokers.split(',')) {
  // The raw floor always: every ratio is to it.
  const floors = [];
  for (const floor of ['raw', ...FLOORS.filter((f) => f === 'guarded')]) floors.push(...(await measureRaw(kind, floor)));
  for (const r of floors) console.log(`${r.kind}, background ${int(r.heartbeatsPerS)}/s, ${r.pause} ms apart: p50 ${ms(r.seen.p50)} p95 ${ms(r.seen.p95)} p99 ${ms(r.seen.p99)} (n ${r.seen.n}); failures ${JSON.stringify(r.failures)}; load ${r.load.join(' → ')}`);
  all.push(...floors, ...(await measureBroker(kind)));
}
console.log('\nSummary (goal: p99 <= 10 ms and p50 <= 3 ms, mutation sent -> the client\'s lockChanged shows it; ratios to the raw floor under the same background):');
printTable([
  ['broker', 'background', 'apart', 'p50', 'p95', 'p99', 'max', 'p50 / raw p50', 'p99 / raw p99', 'mutation reply p50', 'api CPU', 'api CPU per command', 'load', 'goal met'],
  ...all.map((r) => {
    // The ratio is to the raw floor under the same background, its commands as far apart.
    const raw = all.find((x) => x.kind === `${r.kind.split(',')[0]}, raw` && x.background === r.background && x.pause === r.pause);
    return [r.kind, `${int(r.heartbeatsPerS)}/s`, `${r.pause} ms`, ms(r.seen.p50), ms(r.seen.p95), ms(r.seen.p99), ms(r.seen.max), (r.seen.p50 / raw.seen.p50).toFixed(2), (r.seen.p99 / raw.seen.p99).toFixed(2), ms(r.httpReply.p50), Number.isFinite(r.apiCpuPct) ? `${r.apiCpuPct.toFixed(0)}%` : '—', r.apiCpuMsPerCommand === undefined ? '—' : ms(r.apiCpuMsPerCommand), r.load.join(' → '), /, (raw|guarded)$/.test(r.kind) ? '—' : r.seen.p99 <= 10 && r.seen.p50 <= 3 ? 'yes' : 'no'];
  }),
]);
saveResult('roundtrip-processes', { commands: COMMANDS, results: all.map(({ seen, httpReply, ...rest }) => ({ ...rest, seen, httpReply })) });
process.exit(0);
