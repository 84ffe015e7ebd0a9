// Benchmark 1: signed heartbeats accepted per second by the api, against the raw rate of
// the same broker delivering the same messages to a bare mqtt.js subscriber.
//
//   node bench/ingest.mjs [--devices 200] [--messages 500] [--brokers mosquitto,aedes]
//                         [--chunk 16] [--rate 0] [--profile] [--timeout 120]
//
// --rate 0 (default): a flood, each device writing its whole backlog in chunks of --chunk
// packets as fast as its socket takes it. --rate R: an offered load of R msg/s in total,
// one packet per write, round-robin over the devices (a fleet's steady state).
//
// Process layout (matters on a small machine): this process runs the api (and, for
// "aedes", the embedded broker inside it) or the bare subscriber; a child process holds
// the device connections; Mosquitto is its own process. All share the machine's cores.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { api, BENCH_DIR, int, printMachine, printTable, procCpuSeconds, require, saveResult, sleep, startBenchApp, waitFor } from './lib.mjs';
import { summarizeProfile } from './profile-summary.mjs';

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: process.env.BENCH_DEVICES ?? '200' },
    messages: { type: 'string', default: process.env.BENCH_MESSAGES ?? '500' },
    brokers: { type: 'string', default: process.env.BENCH_BROKERS ?? 'mosquitto,aedes' },
    chunk: { type: 'string', default: '16' },
    rate: { type: 'string', default: process.env.BENCH_RATE ?? '0' },
    timeout: { type: 'string', default: '120' },
    stall: { type: 'string', default: '3000' },
    profile: { type: 'boolean', default: process.env.BENCH_PROFILE === '1' },
    'mosquitto-url': { type: 'string', default: process.env.BENCH_MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883' },
    // 60000: never overloaded, so this measures verification; 200 is the product's default (shedding on).
    'overload-lag-ms': { type: 'string', default: '60000' },
  },
});
const DEVICES = Number(args.devices);
const MESSAGES = Number(args.messages);
const CHUNK = Number(args.chunk);
const RATE = Number(args.rate);
const TIMEOUT_MS = Number(args.timeout) * 1000;
const STALL_MS = Number(args.stall);
const EXPECTED = DEVICES * MESSAGES;

const { connect } = require('mqtt');
const { startBrokerProcess } = api('devices/broker/broker-process.js');
const { createLogger } = api('app/logger.js');


function findMosquittoPid() {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'mosquitto') return Number(entry);
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return null;
}

/** The publisher child: resolves each reply of the given type. */
function startPublisher() {
  const child = fork(join(BENCH_DIR, 'ingest-publisher.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map();
  child.on('message', (message) => {
    if (message.type === 'error') {
      for (const { reject } of waiting.values()) reject(new Error(`publisher: ${message.message}`));
      waiting.clear();
      return;
    }
    waiting.get(message.type)?.resolve(message);
    waiting.delete(message.type);
  });
  const request = (message, replyType, timeoutMs = 60_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`publisher: no ${replyType} within ${timeoutMs} ms`)), timeoutMs);
      waiting.set(replyType, {
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      child.send(message);
    });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    child,
    request,
    async stop() {
      if (child.exitCode === null && child.connected) child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function startProfiler() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async (name) => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const dir = join(BENCH_DIR, 'profiles');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return { file, profile };
  };
}

/**
 * Sends `go` to the publisher and samples `count()` until every message arrived,
 * nothing arrived for STALL_MS, or TIMEOUT_MS passed. The rate is over the span from
 * `go` to the last progress, so a stall at the end is not counted.
 */
async function timedPhase(publisher, count, label, profileName, brokerPid = findMosquittoPid()) {
  const stopProfiler = profileName ? await startProfiler() : null;
  const brokerCpu0 = brokerPid ? procCpuSeconds(brokerPid) : null;
  const cpu0 = process.cpuUsage();
  const base = await count();
  const t0 = performance.now();
  const written = publisher.request({ type: 'go', rate: RATE }, 'written', TIMEOUT_MS + 10_000);
  let last = base;
  let tLast = t0;
  for (;;) {
    await sleep(20);
    const now = performance.now();
    const value = await count();
    if (value !== last) {
      last = value;
      tLast = now;
    }
    if (value - base >= EXPECTED || now - tLast > STALL_MS || now - t0 > TIMEOUT_MS) break;
  }
  const cpu = process.cpuUsage(cpu0);
  const brokerCpu1 = brokerPid ? procCpuSeconds(brokerPid) : null;
  const w = await written.catch(() => null);
  const received = last - base;
  const seconds = (tLast - t0) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const result = {
    label,
    /** CPU time this process spent per message: robust to other load, unlike the rate. */
    cpuUsPerMessage: received ? (cpuSeconds * 1e6) / received : null,
    sent: EXPECTED,
    received,
    lost: EXPECTED - received,
    seconds,
    rate: received / seconds,
    writtenSeconds: w ? w.ms / 1000 : null,
    cpu: {
      // Fractions of one core over the phase.
      thisProcess: cpuSeconds / seconds,
      publisher: w ? w.cpuMs / 1000 / seconds : null,
      broker: brokerCpu0 !== null && brokerCpu1 !== null ? (brokerCpu1 - brokerCpu0) / seconds : null,
    },
  };
  if (stopProfiler) {
    const { file, profile } = await stopProfiler(profileName);
    result.profile = { file, summary: summarizeProfile(profile, { top: 25 }) };
  }
  return result;
}

function printPhase(r, broker) {
  const cores = [`this process ${(r.cpu.thisProcess * 100).toFixed(0)}%`, `publishers ${r.cpu.publisher === null ? '?' : (r.cpu.publisher * 100).toFixed(0)}%`];
  cores.push(`${broker === 'mosquitto' ? 'mosquitto' : 'broker process'} ${r.cpu.broker === null ? '?' : (r.cpu.broker * 100).toFixed(0)}%`);
  console.log(
    `  ${r.label.padEnd(32)} ${int(r.rate).padStart(7)} msg/s  (${int(r.received)}/${int(r.sent)} in ${r.seconds.toFixed(2)} s` +
      `${r.lost ? `, ${int(r.lost)} lost` : ''}; publishers done writing after ${r.writtenSeconds?.toFixed(2) ?? '?'} s)`,
  );
  console.log(
    `  ${''.padEnd(32)} CPU per message in this process: ${r.cpuUsPerMessage?.toFixed(1) ?? '?'} µs` +
      ` (=> ~${int(1e6 / r.cpuUsPerMessage)} msg/s on one free core); CPU over the phase (1 core = 100%): ${cores.join(', ')}`,
  );
}

async function runBroker(broker) {
  console.log(`\n--- broker: ${broker === 'mosquitto' ? `Mosquitto (${args['mosquitto-url']})` : 'embedded (aedes, in its own process, as the api runs it)'} ---`);
  const env =
    broker === 'mosquitto' ? { MQTT_URL: args['mosquitto-url'], MQTT_USERNAME: 'bench', MQTT_PASSWORD: 'bench' } : {};
  // By default this measures verification: no shedding (an event-loop lag spike of 150-430 ms, seen at
  // 20,000/s with the api at half a core, made it shed for seconds). Shedding is overload.mjs's subject.
  const app = await startBenchApp({ ...env, OVERLOAD_LAG_MS: args['overload-lag-ms'] });
  const prefix = app.topics.prefix;
  const { store, locks, metrics } = app.services;
  const admin = await store.users.create({ username: 'bench-admin', passwordHash: 'x', role: 'ADMIN' });
  const devices = [];
  for (let i = 0; i < DEVICES; i++) {
    const deviceId = `bench-${String(i).padStart(5, '0')}`;
    const reg = await locks.register(admin, deviceId, `Bench lock ${i}`);
    devices.push({ deviceId, deviceSecret: reg.deviceSecret, mqttPassword: reg.mqttPassword });
  }
  const setup = { type: 'setup', prefix, devices, messages: MESSAGES, chunk: CHUNK };

  // Phase 1: the api. Warm-up = each lock's first status (a visible change: written at once);
  // the timed part is pure heartbeats, which the ingest coalesces.
  const accepted = async (kind) => (await metrics.mqttAccepted.get()).values.filter((v) => v.labels.kind === kind).reduce((s, v) => s + v.value, 0);
  const metricValue = async (name) => (await metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value ?? 0;
  // Dropped after a look (by reason), and shed unverified while the api was overloaded.
  const dropped = async () => [
    ...(await metrics.mqttDropped.get()).values.map((v) => `${v.labels.reason}=${v.value}`),
    `shed=${await metricValue('smartlock_mqtt_shed_total')}`,
  ];
  let publisher = startPublisher();
  let apiResult;
  try {
    const ready = await publisher.request({ ...setup, brokerUrl: app.brokerUrl }, 'ready', 120_000);
    console.log(`  ${DEVICES} devices connected; ${int(EXPECTED)} heartbeats of ~${Math.round(ready.bytesPerMessage)} B pre-signed in ${(ready.signMs / 1000).toFixed(2)} s (untimed)`);
    await publisher.request({ type: 'warmup' }, 'warmup-written');
    await waitFor(async () => (await accepted('change')) >= DEVICES, 30_000, 'every lock to come online');
    await sleep(300);
    const brokerPid = broker === 'aedes' ? app.brokerPid() : undefined;
    apiResult = await timedPhase(publisher, () => accepted('heartbeat'), 'api: accepted heartbeats', args.profile ? `ingest-${broker}` : null, brokerPid);
    apiResult.dropped = await dropped();
    apiResult.overload = { seconds: await metricValue('smartlock_overloaded_seconds'), maxLagMs: (await metricValue('smartlock_event_loop_lag_max_seconds')) * 1000 };
  } finally {
    await publisher.stop();
  }
  await app.close();

  // Phase 2: the same broker (for aedes: the api's own broker process and access rules, with a
  // known server account) delivering the same messages to a subscriber that only counts them.
  let rawBroker = null;
  let brokerUrl = args['mosquitto-url'];
  let account = { username: 'bench', password: 'bench' };
  if (broker === 'aedes') {
    const passwords = new Map(devices.map((d) => [d.deviceId, d.mqttPassword]));
    account = { username: '$bench-raw', password: randomBytes(32).toString('hex') };
    rawBroker = await startBrokerProcess({
      host: '127.0.0.1',
      port: 0,
      topicPrefix: prefix,
      authenticator: { verifyDevicePassword: async (id, password) => passwords.get(id) === password.toString('utf8') },
      server: account,
      logLevel: 'silent',
      log: createLogger('silent'),
    });
    brokerUrl = `mqtt://127.0.0.1:${rawBroker.port}`;
  }
  let received = 0;
  const subscriber = connect(brokerUrl, { protocolVersion: 4, clean: true, keepalive: 15, reconnectPeriod: 0, clientId: `bench-raw-${randomBytes(4).toString('hex')}`, ...account });
  subscriber.on('message', () => {
    received += 1;
  });
  await new Promise((resolve, reject) => (subscriber.once('connect', resolve), subscriber.once('error', reject)));
  await subscriber.subscribeAsync(`${prefix}/+/status`, { qos: 1 });
  publisher = startPublisher();
  let rawResult;
  try {
    await publisher.request({ ...setup, brokerUrl }, 'ready', 120_000);
    await publisher.request({ type: 'warmup' }, 'warmup-written');
    await waitFor(() => received >= DEVICES, 30_000, 'the warm-up messages');
    await sleep(300);
    rawResult = await timedPhase(publisher, () => received, 'raw: bare subscriber received', null, rawBroker ? rawBroker.pid : findMosquittoPid());
  } finally {
    await publisher.stop();
    await subscriber.endAsync(true);
    await rawBroker?.stop();
  }

  printPhase(apiResult, broker);
  printPhase(rawResult, broker);
  console.log(`  ratio accepted/raw: ${(apiResult.rate / rawResult.rate).toFixed(2)}`);
  if (apiResult.dropped.length) console.log(`  dropped by the api: ${apiResult.dropped.join(', ')}`);
  console.log(`  the api was overloaded (shedding) for ${apiResult.overload.seconds.toFixed(1)} s in all; largest event-loop lag sampled: ${apiResult.overload.maxLagMs.toFixed(0)} ms`);
  if (apiResult.profile) {
    console.log(`  CPU profile of this process during the api phase: ${apiResult.profile.file}`);
    console.log(apiResult.profile.summary.text.replace(/^/gm, '    '));
  }
  return { broker, api: apiResult, raw: rawResult, ratio: apiResult.rate / rawResult.rate };
}

const m = printMachine('Benchmark 1: heartbeat ingest');
console.log(
  `${DEVICES} devices x ${MESSAGES} heartbeats (QoS 0, signed, pre-encoded; ` +
    `${RATE > 0 ? `offered at ${int(RATE)} msg/s, one packet per write` : `flood, ${CHUNK} packets per socket write`}). ` +
    `The api, the publishers and Mosquitto share these ${m.cores} cores.`,
);
const results = [];
for (const broker of args.brokers.split(',').map((b) => b.trim()).filter(Boolean)) {
  if (broker !== 'mosquitto' && broker !== 'aedes') throw new Error(`unknown broker ${broker} (mosquitto or aedes)`);
  results.push(await runBroker(broker));
}

// Offered at a set rate, the api cannot accept faster than it is offered: it meets the goal when
// it took every heartbeat as fast as they came (within 1%: the rate's span ends at the last count).
const GOAL = 20_000;
const goalMet = (r) => r.ratio >= 0.8 && (RATE > 0 ? RATE >= GOAL && r.api.lost === 0 && r.api.rate >= 0.99 * RATE : r.api.rate >= GOAL);
console.log(`\nSummary (goal: >= 20,000 accepted/s${RATE > 0 ? ', i.e. all of what is offered at this rate,' : ''} and >= 0.8 of raw):`);
printTable([
  ['broker', 'accepted/s (api)', 'raw msgs/s', 'accepted/raw', 'lost api/raw', 'api CPU µs/msg', 'raw CPU µs/msg', 'api process CPU', 'goal met'],
  ...results.map((r) => [
    r.broker,
    int(r.api.rate),
    int(r.raw.rate),
    r.ratio.toFixed(2),
    `${int(r.api.lost)}/${int(r.raw.lost)}`,
    r.api.cpuUsPerMessage?.toFixed(1),
    r.raw.cpuUsPerMessage?.toFixed(1),
    `${(r.api.cpu.thisProcess * 100).toFixed(0)}%`,
    goalMet(r) ? 'yes' : 'no',
  ]),
]);
saveResult(RATE > 0 ? `ingest-rate-${RATE}` : 'ingest', {
  rate: RATE,
  devices: DEVICES,
  messagesPerDevice: MESSAGES,
  results: results.map((r) => ({ ...r, api: { ...r.api, profile: r.api.profile ? { file: r.api.profile.file, top: r.api.profile.summary.top } : undefined } })),
});
process.exit(0);
