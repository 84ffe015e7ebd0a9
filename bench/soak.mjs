// Benchmark (issue 8, B9): a soak. A fleet of simulated locks in child processes (heartbeats
// every 9 s, commands to random locks every few seconds, random abrupt disconnects) runs against
// the api for a while, with the embedded broker and/or Mosquitto. Prints:
//   - false offline: a lock declared Unavailable that was not deliberately cut off (goal 0)
//   - lost transitions: a deliberate disconnect, or a SUCCEEDED command's status change, that a
//     live graphql-ws lockChanged subscription did not see (goal 0)
//   - commands not ending exactly once: a created command with no or several final states on the
//     api's bus, or executed by the lock other than once when it SUCCEEDED (goal 0)
//   - the api process's RSS over time (goal flat, <= 300 MB) and its event-loop lag p99; with the
//     embedded broker, that broker's own process RSS too (it runs apart, like Mosquitto)
//
//   node bench/soak.mjs [--locks 10000] [--minutes 10] [--brokers aedes,mosquitto] [--procs 4]
//                       [--command-every 3] [--disconnects-per-minute 20] [--heartbeat 9000]
//
// The api runs in this process (the embedded broker, when used, in a child process of its own);
// RSS and lag are this process's, which also holds the benchmark's own bookkeeping and one
// graphql-ws client.
import { fork } from 'node:child_process';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { int, ms, printMachine, printTable, require, saveResult, sleep, startBenchApp, waitFor } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    locks: { type: 'string', default: '10000' },
    minutes: { type: 'string', default: '10' },
    brokers: { type: 'string', default: 'aedes,mosquitto' },
    procs: { type: 'string', default: '4' },
    'command-every': { type: 'string', default: '3' },
    'disconnects-per-minute': { type: 'string', default: '20' },
    heartbeat: { type: 'string', default: '9000' },
    'mosquitto-url': { type: 'string', default: 'mqtt://127.0.0.1:1883' },
  },
});
const LOCKS = Number(args.locks);
const MINUTES = Number(args.minutes);
const PROCS = Number(args.procs);
const { createClient } = require('graphql-ws');
const { WebSocket } = require('ws');

async function graphql(url, query, variables, token) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) });
  return response.json();
}

// RSS and the JS heap in use: RSS alone also counts what V8 has not collected yet.
const memorySample = () => {
  const { rss, heapUsed } = process.memoryUsage();
  return { mb: rss / 2 ** 20, heapMb: heapUsed / 2 ** 20, brokerMb: brokerRssMb() };
};
/** The embedded broker process's RSS (Linux), or undefined (external broker). */
let brokerPid = () => undefined;
function brokerRssMb() {
  const pid = brokerPid();
  if (pid === undefined) return undefined;
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb === undefined ? undefined : Number(kb) / 1024;
}

async function runBroker(broker) {
  console.log(`\n--- broker: ${broker} ---`);
  const env = { LOG_LEVEL: 'silent' };
  if (broker === 'mosquitto') Object.assign(env, { MQTT_URL: args['mosquitto-url'], MQTT_USERNAME: 'bench', MQTT_PASSWORD: 'bench' });
  const app = await startBenchApp(env);
  brokerPid = app.brokerPid;
  const idle = memorySample(); // the api started, before any lock: the baseline for the RSS figures
  const { services } = app;
  const signUp = await graphql(app.httpUrl, 'mutation($u: String!, $p: String!) { signUp(username: $u, password: $p) { accessToken } }', { u: 'soak-user', p: 'soak-password-0123456789' });
  const token = signUp.data.signUp.accessToken;
  const user = await services.store.users.findByUsername('soak-user');
  const devices = [];
  const tReg = performance.now();
  for (let i = 0; i < LOCKS; i++) {
    const deviceId = `soak-${String(i).padStart(5, '0')}`;
    const reg = await services.locks.register(user, deviceId, deviceId);
    devices.push({ deviceId, deviceSecret: reg.deviceSecret });
  }
  console.log(`  ${int(LOCKS)} locks registered in ${((performance.now() - tReg) / 1000).toFixed(1)} s`);

  // The api's own view (bus) and a person's view (graphql-ws), per lock.
  const offlineEvents = new Map(); // deviceId -> count of UNAVAILABLE on the bus
  const busStatuses = new Map(); // deviceId -> statuses the bus announced, in order (to tell where a lost change was lost)
  const ends = new Map(); // command id -> final states seen
  void (async () => {
    for await (const lock of services.events.subscribe('lock.changed')) {
      if (lock.state === 'UNAVAILABLE') offlineEvents.set(lock.deviceId, (offlineEvents.get(lock.deviceId) ?? 0) + 1);
      busStatuses.set(lock.deviceId, [...(busStatuses.get(lock.deviceId) ?? []), lock.status]);
    }
  })();
  void (async () => {
    for await (const c of services.events.subscribe('command.updated')) if (!['PENDING', 'SENT'].includes(c.state)) ends.set(c.id, [...(ends.get(c.id) ?? []), c.state]);
  })();
  const seen = new Map(); // deviceId -> [{state,status}] from the subscription
  const ws = createClient({ url: app.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: false, retryAttempts: 5 });
  ws.subscribe(
    { query: 'subscription { lockChanged { deviceId status state } }' },
    { next: ({ data }) => { const l = data?.lockChanged; if (l) seen.set(l.deviceId, [...(seen.get(l.deviceId) ?? []), l]); }, error: (e) => console.error('lockChanged error', e), complete: () => undefined },
  );

  const executed = new Map(); // command id -> times the lock executed it
  const cut = new Map(); // deviceId -> times of deliberate disconnects
  const children = [];
  const share = Math.ceil(LOCKS / PROCS);
  const tStart = performance.now();
  await Promise.all(
    Array.from({ length: PROCS }, (_, p) => {
      const proc = fork(new URL('./soak-fleet.mjs', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(proc);
      proc.on('message', (m) => {
        if (m.type === 'executed') executed.set(m.id, (executed.get(m.id) ?? 0) + 1);
        else if (m.type === 'disconnected') cut.set(m.deviceId, [...(cut.get(m.deviceId) ?? []), m.at]);
        else if (m.type === 'error') console.error(`fleet ${p}: ${m.message}`);
      });
      const started = new Promise((resolve) => proc.on('message', (m) => m.type === 'started' && resolve()));
      proc.send({ type: 'start', devices: devices.slice(p * share, (p + 1) * share), brokerUrl: app.brokerUrl, topicPrefix: app.topics.prefix, heartbeatMs: Number(args.heartbeat) });
      return started;
    }),
  );
  await waitFor(async () => (await services.store.locks.listAll()).every((l) => l.state === 'AVAILABLE'), 120_000, 'every lock to be AVAILABLE');
  console.log(`  fleet of ${int(LOCKS)} online in ${((performance.now() - tStart) / 1000).toFixed(1)} s (${PROCS} processes)`);
  // Count from here: start-up transitions are not part of the soak.
  offlineEvents.clear();
  const seenBefore = new Map([...seen].map(([k, v]) => [k, v.length]));
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const rss = [];
  const t0 = Date.now();
  const rssTimer = setInterval(() => rss.push({ minute: (Date.now() - t0) / 60_000, ...memorySample(), load: os.loadavg()[0] }), 30_000);
  for (const proc of children) proc.send({ type: 'disconnects', perMinute: Number(args['disconnects-per-minute']) / PROCS });

  // Commands: one every few seconds to a random lock, each awaited without blocking the next.
  const created = new Map(); // id -> { deviceId, action }
  const refused = {};
  const pending = [];
  const end = t0 + MINUTES * 60_000;
  while (Date.now() < end) {
    const d = devices[Math.floor(Math.random() * devices.length)];
    const action = Math.random() < 0.5 ? 'lock' : 'unlock';
    // What the lock said before this command, and how much the subscription had shown of it: a
    // command that finds the lock already in its state changes nothing, and a lock that gets two
    // commands must show each one's change after that command, not just somewhere in the run.
    const statusBefore = (await services.store.locks.findByDeviceId(d.deviceId))?.status;
    const seenIndex = seen.get(d.deviceId)?.length ?? 0;
    const busIndex = busStatuses.get(d.deviceId)?.length ?? 0;
    pending.push(
      graphql(app.httpUrl, `mutation($d: ID!) { ${action}(deviceId: $d) { id } }`, { d: d.deviceId }, token).then(
        (body) => {
          const id = body.data?.[action]?.id;
          if (id) created.set(id, { deviceId: d.deviceId, action, statusBefore, seenIndex, busIndex });
          else refused[body.errors?.[0]?.extensions?.code ?? 'unknown'] = (refused[body.errors?.[0]?.extensions?.code ?? 'unknown'] ?? 0) + 1;
        },
        (e) => (refused[e.message] = (refused[e.message] ?? 0) + 1),
      ),
    );
    await sleep(Number(args['command-every']) * 1000);
  }
  await Promise.all(pending);
  for (const proc of children) proc.send({ type: 'disconnects', perMinute: 0 });
  // Let in-flight commands end (timeout 10 s) and cut locks reconnect.
  await sleep(15_000);
  clearInterval(rssTimer);
  rss.push({ minute: (Date.now() - t0) / 60_000, ...memorySample(), load: os.loadavg()[0] });
  lag.disable();

  // Judge.
  let falseOffline = 0;
  for (const [deviceId, n] of offlineEvents) falseOffline += Math.max(0, n - (cut.get(deviceId)?.length ?? 0));
  let lostTransitions = 0;
  const lostWhere = { 'in delivery': 0, 'never declared': 0 };
  const lostCommands = [];
  const sawAfter = (deviceId) => (seen.get(deviceId) ?? []).slice(seenBefore.get(deviceId) ?? 0);
  for (const [deviceId, times] of cut) {
    const offlineSeen = sawAfter(deviceId).filter((l) => l.state === 'UNAVAILABLE').length;
    // Each cut is a transition to Unavailable, unless the lock was cut again before it was back
    // (10 s: reconnect back-off up to 5 s plus its first status): Unavailable -> Unavailable is none.
    const episodes = times.filter((at, i) => i === 0 || at - times[i - 1] > 10_000).length;
    const lost = Math.max(0, episodes - offlineSeen);
    lostTransitions += lost;
    // Where it was lost: the api's bus had it (delivery to the subscription lost it), or the api
    // never declared it (the will came after the reconnected lock's first status and was ignored
    // as stale, or it never came).
    if (lost > 0) lostWhere[(offlineEvents.get(deviceId) ?? 0) >= episodes ? 'in delivery' : 'never declared'] += lost;
  }
  const endStates = {};
  let notExactlyOnce = 0;
  for (const [id, c] of created) {
    const states = ends.get(id) ?? [];
    const final = states.length === 1 ? states[0] : states.length === 0 ? 'NO_END' : 'SEVERAL_ENDS';
    endStates[final] = (endStates[final] ?? 0) + 1;
    const runs = executed.get(id) ?? 0;
    if (states.length !== 1 || (final === 'SUCCEEDED' && runs !== 1) || runs > 1) notExactlyOnce++;
    if (final === 'SUCCEEDED') {
      const want = c.action === 'lock' ? 'LOCKED' : 'UNLOCKED';
      // The status change reaches the subscription unless the lock already had that status.
      const views = (seen.get(c.deviceId) ?? []).slice(c.seenIndex);
      if (c.statusBefore !== want && !views.some((l) => l.status === want)) {
        lostTransitions++;
        const where = (busStatuses.get(c.deviceId) ?? []).slice(c.busIndex).includes(want) ? 'command status in delivery' : 'command status never announced';
        lostWhere[where] = (lostWhere[where] ?? 0) + 1;
        lostCommands.push({ id: [...created].find(([, v]) => v === c)?.[0], deviceId: c.deviceId, want, views: views.map((l) => `${l.state}/${l.status}`) });
      }
    }
  }
  const finalStore = await services.store.locks.listAll();
  const notAvailable = finalStore.filter((l) => l.state !== 'AVAILABLE').length;
  const lagP99 = lag.percentile(99) / 1e6;
  const lagMax = lag.max / 1e6;
  const shed = ((await services.metrics.registry.getSingleMetric('smartlock_mqtt_shed_total')?.get())?.values ?? []).reduce((s, v) => s + v.value, 0);

  for (const proc of children) proc.send({ type: 'stop' });
  await Promise.all(children.map((proc) => new Promise((resolve) => (proc.exitCode !== null ? resolve() : proc.once('exit', resolve)))));
  await ws.dispose();
  await app.close().catch(() => undefined);

  const result = {
    broker,
    locks: LOCKS,
    minutes: MINUTES,
    falseOffline,
    lostTransitions,
    lostWhere,
    commands: created.size,
    refused,
    endStates,
    notExactlyOnce,
    deliberateDisconnects: [...cut.values()].reduce((s, times) => s + times.length, 0),
    notAvailableAtEnd: notAvailable,
    shed,
    idle,
    rss,
    lagP99Ms: lagP99,
    lagMaxMs: lagMax,
  };
  console.log(`  commands created ${int(result.commands)} (refused at the mutation: ${JSON.stringify(refused)}), ends ${JSON.stringify(endStates)}, not exactly once ${notExactlyOnce}`);
  for (const lost of lostCommands) console.log(`  lost command status: ${JSON.stringify(lost)}`);
  console.log(`  deliberate disconnects ${result.deliberateDisconnects}; false offline ${falseOffline}; lost transitions ${lostTransitions} ${JSON.stringify(lostWhere)}; not AVAILABLE at the end ${notAvailable}; heartbeats shed ${int(shed)}`);
  console.log(`  api RSS (MB) idle ${idle.mb.toFixed(0)} (heap ${idle.heapMb.toFixed(0)}), then by minute: ${rss.map((r) => `${r.minute.toFixed(1)}:${r.mb.toFixed(0)}`).join(' ')}`);
  if (rss[0]?.brokerMb !== undefined) console.log(`  embedded broker process RSS (MB) idle ${idle.brokerMb.toFixed(0)}, then by minute: ${rss.map((r) => `${r.minute.toFixed(1)}:${r.brokerMb.toFixed(0)}`).join(' ')}`);
  console.log(`  JS heap in use (MB) by minute: ${rss.map((r) => `${r.minute.toFixed(1)}:${r.heapMb.toFixed(0)}`).join(' ')}`);
  console.log(`  api event-loop lag p99 ${ms(lagP99, 1)}, max ${ms(lagMax, 0)}; load average (1 min) ${rss.map((r) => r.load.toFixed(1)).join(' ')}`);
  return result;
}

const m = printMachine('Soak: a fleet for a while');
console.log(`${int(LOCKS)} locks in ${PROCS} processes, heartbeat every ${args.heartbeat} ms, a command every ${args['command-every']} s, ${args['disconnects-per-minute']} abrupt disconnects/min, ${MINUTES} min per broker`);
const results = [];
for (const broker of args.brokers.split(',').map((b) => b.trim()).filter(Boolean)) results.push(await runBroker(broker));
console.log('\nSummary (goals from issue 8, B9):');
printTable([
  ['broker', 'false offline (0)', 'lost transitions (0)', 'commands not exactly once (0)', 'commands', 'RSS idle/first/max/last MB (<= 300, flat)', 'lag p99', 'load avg'],
  ...results.map((r) => [
    r.broker,
    r.falseOffline,
    r.lostTransitions,
    r.notExactlyOnce,
    r.commands,
    `${r.idle.mb.toFixed(0)}/${r.rss[0]?.mb.toFixed(0)}/${Math.max(...r.rss.map((x) => x.mb)).toFixed(0)}/${r.rss.at(-1)?.mb.toFixed(0)}`,
    ms(r.lagP99Ms, 1),
    r.rss.map((x) => x.load.toFixed(1)).join(' '),
  ]),
]);
console.log(`machine: ${m.cores} cores, load average at start ${m.loadavg.join(' ')}, at end ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
saveResult('soak', { args, results });
process.exit(0);
