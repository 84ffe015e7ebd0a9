// Benchmark (issue 17, item 3): signed heartbeats accepted per second by one deployment through
// Mosquitto, with 1 and with N api processes splitting the stream on a shared subscription
// (MQTT_SHARED_SUBSCRIPTION, Redis for the bus), against as many bare subscribers on the same
// shared subscription (the raw rate of the same stream), all in one run.
//
//   node bench/ingest-replicas.mjs [--replicas 1,2] [--devices 200] [--messages 500] [--rate 0] [--chunk 16] [--profile DIR]
//
// Processes: a benchmark Mosquitto (bare-mosquitto.mjs), the api replicas (api/dist/src/main.js,
// api-process.mjs), one publisher child holding every device connection with pre-signed packets
// (ingest-publisher.mjs), and for the raw phase one counting subscriber child per replica
// (ingest-subscriber.mjs). The replicas share one SQLite file here (no MongoDB server can run on
// this machine; production replicas share MongoDB): heartbeats of known locks never read the store,
// and their coalesced writes are one transaction a second per replica.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startApiProcess } from './api-process.mjs';
import { startBareMosquitto } from './bare-mosquitto.mjs';
import { forkChild, int, machine, printMachine, printTable, procCpuSeconds, saveResult, sleep, waitFor } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    replicas: { type: 'string', default: '1,2' },
    devices: { type: 'string', default: '200' },
    messages: { type: 'string', default: '500' },
    rate: { type: 'string', default: '0' },
    chunk: { type: 'string', default: '16' },
    stall: { type: 'string', default: '3000' },
    timeout: { type: 'string', default: '120' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
    profile: { type: 'string', default: '' },
  },
});
const DEVICES = Number(args.devices);
const MESSAGES = Number(args.messages);
const EXPECTED = DEVICES * MESSAGES;
const RATE = Number(args.rate);
const ADMIN = { username: 'bench-admin', password: `bench-${randomBytes(8).toString('hex')}` };

const procCpuMs = (pid) => (procCpuSeconds(pid) ?? Number.NaN) * 1000;

async function metric(url, name, kind) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`kind="${kind}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/**
 * Sends `go` and samples `count()` every 100 ms until every message arrived or nothing arrived for
 * --stall ms; the rate is over the span from `go` to the last progress. CPU from /proc of `pids`.
 */
async function timed(publisher, count, pids) {
  const cpu0 = pids.map(procCpuMs);
  const base = await count();
  const t0 = performance.now();
  const written = publisher.request({ type: 'go', rate: RATE }, 'written');
  let last = base;
  let tLast = t0;
  for (;;) {
    await sleep(100);
    const now = performance.now();
    const value = await count();
    if (value !== last) [last, tLast] = [value, now];
    if (value - base >= EXPECTED || now - tLast > Number(args.stall) || now - t0 > Number(args.timeout) * 1000) break;
  }
  await written;
  const received = last - base;
  const seconds = (tLast - t0) / 1000;
  const cpuMs = pids.map((pid, i) => procCpuMs(pid) - cpu0[i]).reduce((s, v) => s + v, 0);
  return { received, lost: EXPECTED - received, seconds, rate: received / seconds, cpuUsPerMessage: received ? (cpuMs * 1000) / received : NaN, cores: cpuMs / 1000 / seconds };
}

async function measure(replicas) {
  const mosquitto = await startBareMosquitto({ maxQueued: 100_000 });
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(os.tmpdir(), 'smartlock-bench-replicas-'));
  const apis = [];
  const parts = [];
  try {
    const env = {
      MQTT_URL: mosquitto.url, MQTT_USERNAME: 'api', MQTT_PASSWORD: 'api', MQTT_TOPIC_PREFIX: prefix, MQTT_SHARED_SUBSCRIPTION: 'true',
      REDIS_URL: args['redis-url'], REDIS_KEY_PREFIX: `${prefix}:`, ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, OVERLOAD_LAG_MS: '60000',
    };
    // One after the other: the first runs the migrations on the shared file.
    for (let i = 0; i < replicas; i++) apis.push(await startApiProcess({ env, dataDir, execArgv: args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [] }));
    const gql = async (query, variables, token) => {
      const body = await (await fetch(`${apis[0].url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) })).json();
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const { accessToken } = (await gql('mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) { accessToken } }', { u: ADMIN.username, p: ADMIN.password })).signIn;
    const devices = [];
    for (let i = 0; i < DEVICES; i++) {
      const deviceId = `bench-${String(i).padStart(5, '0')}`;
      const reg = (await gql('mutation($d: ID!, $n: String!) { registerLock(deviceId: $d, name: $n) { deviceSecret mqttPassword } }', { d: deviceId, n: deviceId }, accessToken)).registerLock;
      devices.push({ deviceId, ...reg });
    }
    const setup = { type: 'setup', brokerUrl: mosquitto.url, prefix, devices, messages: MESSAGES, chunk: Number(args.chunk) };
    const accepted = async (kind) => (await Promise.all(apis.map((a) => metric(a.url, 'smartlock_mqtt_status_accepted_total', kind)))).reduce((s, v) => s + v, 0);

    // The api replicas. Warm-up: each lock's first status (a visible change, written at once).
    const publisher = forkChild('./ingest-publisher.mjs');
    parts.push(publisher);
    await publisher.request(setup, 'ready');
    await publisher.request({ type: 'warmup' }, 'warmup-written');
    await waitFor(async () => (await accepted('change')) >= DEVICES, 60_000, 'every lock to come online');
    await sleep(1500); // the replicas' caches follow lock.changed through Redis
    const load0 = machine().loadavg[0];
    const api = await timed(publisher, () => accepted('heartbeat'), [...apis.map((a) => a.pid), mosquitto.pid]);
    api.load = [load0, machine().loadavg[0]];
    await publisher.stop();
    for (const a of apis.splice(0)) await a.stop();

    // The same stream to as many bare subscribers on the same kind of shared subscription.
    const subscribers = [];
    for (let i = 0; i < replicas; i++) {
      const s = forkChild('./ingest-subscriber.mjs');
      parts.push(s);
      await s.request({ type: 'start', brokerUrl: mosquitto.url, clientId: `raw-${i}-${prefix}`, filter: `$share/raw/${prefix}/+/status` }, 'started');
      subscribers.push(s);
    }
    const rawPublisher = forkChild('./ingest-publisher.mjs');
    parts.push(rawPublisher);
    await rawPublisher.request(setup, 'ready');
    const counted = async () => (await Promise.all(subscribers.map((s) => s.request({ type: 'count' }, 'count')))).reduce((sum, c) => sum + c.received, 0);
    await rawPublisher.request({ type: 'warmup' }, 'warmup-written');
    await waitFor(async () => (await counted()) >= DEVICES, 30_000, 'the warm-up messages');
    const rawLoad0 = machine().loadavg[0];
    const raw = await timed(rawPublisher, counted, [mosquitto.pid]);
    raw.load = [rawLoad0, machine().loadavg[0]];
    return { replicas, api, raw };
  } finally {
    for (const p of parts.reverse()) await p.stop();
    for (const a of apis) await a.stop();
    await mosquitto.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

printMachine('Ingest with api replicas on a shared subscription');
console.log(`${DEVICES} devices × ${MESSAGES} signed heartbeats (${RATE > 0 ? `offered at ${int(RATE)}/s` : 'a flood'}) through Mosquitto; replicas: ${args.replicas}`);
const results = [];
for (const n of args.replicas.split(',').map(Number)) {
  const r = await measure(n);
  console.log(`${n} replica(s): accepted ${int(r.api.rate)}/s (${int(r.api.received)}, lost ${int(r.api.lost)}), raw ${int(r.raw.rate)}/s (lost ${int(r.raw.lost)}); api + Mosquitto CPU ${r.api.cpuUsPerMessage.toFixed(1)} µs/msg (${(r.api.cores * 100).toFixed(0)}% of a core); load ${r.api.load.join(' → ')}`);
  results.push(r);
}
console.log('\nSummary (goal: >= 50,000 accepted/s and >= 0.8 of raw, under a flood):');
printTable([
  ['replicas', 'accepted/s', 'raw/s', 'accepted/raw', 'lost api / raw', 'api + broker CPU µs/msg', 'cores used (api + broker)', 'load', 'goal met'],
  ...results.map(({ replicas, api, raw }) => [replicas, int(api.rate), int(raw.rate), (api.rate / raw.rate).toFixed(2), `${int(api.lost)} / ${int(raw.lost)}`, api.cpuUsPerMessage.toFixed(1), `${(api.cores * 100).toFixed(0)}%`, api.load.join(' → '), api.rate >= 50_000 && api.rate / raw.rate >= 0.8 ? 'yes' : 'no']),
]);
saveResult('ingest-replicas', { devices: DEVICES, messages: MESSAGES, rate: RATE, results });
process.exit(0);
