// Benchmark 2: a LOCK/UNLOCK from the GraphQL mutation to the lock's ack coming back as
// SUCCEEDED, through the real HTTP endpoint, the embedded broker, a simulated lock and a
// graphql-ws subscription. Sequential, alternating UNLOCK/LOCK.
//
//   node bench/command-roundtrip.mjs [--commands 1000] [--warmup 50] [--nodelay broker|clients|both] [--lock-process]
//                                    [--mosquitto-deploy [--without set_tcp_nodelay]] [--save-as name]
//
// --mosquitto-deploy runs the compose broker instead of the embedded one: Mosquitto 2 started by
// deploy/mosquitto/start-mosquitto.sh with deploy/mosquitto/mosquitto.conf itself (ports and paths
// made local, bench/mosquitto-deploy.mjs); --without drops a directive of it (repeatable).
// mosquitto-config.mjs runs both, shipped and without set_tcp_nodelay, in one run.
//
// --nodelay is a diagnostic: it turns Nagle's algorithm off (TCP_NODELAY) on the embedded
// broker's accepted sockets and/or on outgoing client sockets (the api's MQTT link, the
// simulated lock) by patching node:net in this process, to show what the api would gain.
//
// By default everything (api, broker, lock, client) runs in this one process, so the api's own
// event bus gives a server-side breakdown on the same clock; client and lock work share the event
// loop. --lock-process runs the simulated lock in a child process instead (as a real lock is a
// separate device); its "executed" marks then come over IPC on the shared wall clock.
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { startDeployMosquitto } from './mosquitto-deploy.mjs';
import { api, int, machine, ms, printMachine, printTable, require, saveResult, startBenchApp, stats, waitFor } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    commands: { type: 'string', default: process.env.BENCH_COMMANDS ?? '1000' },
    warmup: { type: 'string', default: '50' },
    timeout: { type: 'string', default: '5000' },
    nodelay: { type: 'string', default: process.env.BENCH_NODELAY ?? '' },
    'lock-process': { type: 'boolean', default: false },
    'mosquitto-deploy': { type: 'boolean', default: false },
    without: { type: 'string', multiple: true, default: [] },
    'save-as': { type: 'string', default: '' },
  },
});
if (!['', 'broker', 'clients', 'both'].includes(args.nodelay)) throw new Error('--nodelay must be broker, clients or both');
{
  const net = require('node:net');
  if (args.nodelay === 'broker' || args.nodelay === 'both') {
    const createServer = net.createServer;
    net.createServer = (...rest) => createServer(...rest).on('connection', (socket) => socket.setNoDelay(true));
  }
  if (args.nodelay === 'clients' || args.nodelay === 'both') {
    const connect = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (...rest) {
      this.setNoDelay(true);
      return connect.apply(this, rest);
    };
  }
}
const COMMANDS = Number(args.commands);
const WARMUP = Number(args.warmup);
const PER_COMMAND_TIMEOUT_MS = Number(args.timeout);

const { createClient } = require('graphql-ws');
const { WebSocket } = require('ws');
const { SimulatedLock } = api('simulator/simulated-lock.js');
const { MemoryCounterStore } = api('simulator/counter-store.js');

async function graphql(url, query, variables, token) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return body.data;
}

printMachine('Benchmark 2: command round trip');
if (args.nodelay) console.log(`diagnostic: TCP_NODELAY forced on ${args.nodelay === 'both' ? 'broker and client' : args.nodelay === 'broker' ? 'broker' : 'client'} sockets`);
const mosquitto = args['mosquitto-deploy'] ? await startDeployMosquitto({ topicPrefix: `bench-${randomUUID()}`, withoutDirectives: args.without }) : null;
if (mosquitto) {
  const directives = mosquitto.config.split('\n').filter((line) => line && !line.startsWith('#'));
  console.log(`broker: compose Mosquitto (deploy/mosquitto/mosquitto.conf${args.without.length ? ` without ${args.without.join(', ')}` : ', as shipped'}; TLS listener ${mosquitto.tlsOn ? 'on' : 'off'})`);
  console.log(`  directives: ${directives.join(' | ')}`);
}
const brokerLabel = mosquitto ? `compose Mosquitto${args.without.length ? ` without ${args.without.join(', ')}` : ''}` : 'embedded broker';
const app = await startBenchApp(mosquitto?.apiEnv ?? {});
const deviceId = 'bench-roundtrip';
let lock;
let ws;
try {
  const { signUp } = await graphql(
    app.httpUrl,
    'mutation($u: String!, $p: String!) { signUp(username: $u, password: $p) { accessToken } }',
    { u: 'bench-user', p: 'bench-password-0123456789' },
  );
  const token = signUp.accessToken;
  const user = await app.services.store.users.findByUsername('bench-user');
  const reg = await app.services.locks.register(user, deviceId, 'Bench lock');
  const lockOptions = { brokerUrl: app.brokerUrl, deviceId, deviceSecret: reg.deviceSecret, topicPrefix: app.topics.prefix };
  if (args['lock-process']) {
    const { fork } = require('node:child_process');
    const child = fork(new URL('./roundtrip-lock.mjs', import.meta.url));
    const started = new Promise((resolve) => child.on('message', (m) => m.type === 'started' && resolve()));
    child.send({ type: 'start', options: lockOptions });
    await started;
    lock = {
      on: (_event, handler) => child.on('message', (m) => m.type === 'executed' && handler({ id: m.id, at: m.at - performance.timeOrigin })),
      stop: async () => {
        child.send({ type: 'stop' });
        await new Promise((resolve) => child.once('exit', resolve));
      },
    };
  } else {
    lock = new SimulatedLock({ ...lockOptions, state: new MemoryCounterStore() });
    await lock.start();
  }
  await waitFor(async () => (await app.services.store.locks.findByDeviceId(deviceId))?.state === 'AVAILABLE', 10_000, 'the lock to be AVAILABLE');

  ws = createClient({ url: app.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: false, retryAttempts: 0 });

  // Server side, same clock: the lock executing the command, SENT and SUCCEEDED on the bus.
  const marks = new Map(); // command id -> { executed, sentEvent, doneEvent }
  const mark = (id, key, at = performance.now()) => {
    const m = marks.get(id) ?? {};
    m[key] ??= at;
    marks.set(id, m);
  };
  lock.on('command', (event) => event.id && mark(event.id, 'executed', event.at));
  const busIterator = app.services.events.subscribe('command.updated');
  void (async () => {
    for await (const command of busIterator) mark(command.id, command.state === 'SENT' ? 'sentEvent' : 'doneEvent');
  })();

  // The client's own view: lockChanged for the lock (subscribed once, before any command)...
  const lockWaiters = [];
  const stopLockFeed = ws.subscribe(
    { query: 'subscription($d: ID) { lockChanged(deviceId: $d) { deviceId status } }', variables: { d: deviceId } },
    {
      next: ({ data }) => {
        const t = performance.now();
        for (const w of lockWaiters.splice(0)) w(data?.lockChanged?.status, t);
      },
      error: (e) => console.error('lockChanged error', e),
      complete: () => undefined,
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the subscription start

  // ...and commandUpdated(id), subscribed as the schema says: right after the mutation returns.
  async function roundTrip(action) {
    const expected = action === 'LOCK' ? 'LOCKED' : 'UNLOCKED';
    let lockSeen;
    const lockChanged = new Promise((resolve) => {
      const waiter = (status, t) => (status === expected ? resolve((lockSeen = t)) : lockWaiters.push(waiter));
      lockWaiters.push(waiter);
    });
    const t0 = performance.now();
    const data = await graphql(app.httpUrl, `mutation($d: ID!) { ${action.toLowerCase()}(deviceId: $d) { id state } }`, { d: deviceId }, token);
    const tHttp = performance.now();
    const { id } = data[action.toLowerCase()];
    let cmdSeen;
    let stopCmd;
    const commandDone = new Promise((resolve) => {
      stopCmd = ws.subscribe(
        { query: 'subscription($id: ID!) { commandUpdated(id: $id) { id state } }', variables: { id } },
        {
          next: ({ data: d }) => {
            if (d?.commandUpdated?.state === 'SUCCEEDED') resolve((cmdSeen = performance.now()));
          },
          error: () => resolve(undefined),
          complete: () => resolve(undefined),
        },
      );
    });
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`command ${id} not done in ${PER_COMMAND_TIMEOUT_MS} ms`)), PER_COMMAND_TIMEOUT_MS).unref());
    await Promise.race([lockChanged, timeout]);
    // lockChanged is published after command.updated, so a commandUpdated that was subscribed in
    // time has arrived by now (same socket); give it 20 ms of grace before calling it missed.
    await Promise.race([commandDone, new Promise((resolve) => setTimeout(resolve, 20))]);
    stopCmd();
    const m = marks.get(id) ?? {};
    marks.delete(id);
    return { t0, tHttp, lockSeen, cmdSeen, ...m };
  }

  const samples = [];
  let cpuStart;
  for (let i = 0; i < WARMUP + COMMANDS; i++) {
    if (i === WARMUP) cpuStart = process.cpuUsage();
    const r = await roundTrip(i % 2 === 0 ? 'UNLOCK' : 'LOCK');
    if (i >= WARMUP) samples.push(r);
  }
  // CPU time of this process (api + client; the broker and, with --lock-process, the lock run
  // elsewhere) per command: unlike latency it does not depend on what else the machine runs.
  const cpu = process.cpuUsage(cpuStart);
  const cpuMsPerCommand = (cpu.user + cpu.system) / 1000 / COMMANDS;
  stopLockFeed();
  await busIterator.return?.();

  const rel = (key) => samples.filter((s) => s[key] !== undefined).map((s) => s[key] - s.t0);
  const between = (a, b) => samples.filter((s) => s[a] !== undefined && s[b] !== undefined).map((s) => s[b] - s[a]);
  const done = stats(rel('doneEvent'));
  const lockView = stats(rel('lockSeen'));
  const cmdView = stats(rel('cmdSeen'));
  const missed = samples.filter((s) => s.cmdSeen === undefined).length;
  const row = (label, s) => [label, int(s.n), ms(s.mean), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)];

  console.log(`\n${int(COMMANDS)} commands (after ${WARMUP} warm-up), sequential, alternating UNLOCK/LOCK, ${brokerLabel}, loopback; lock ${args['lock-process'] ? 'in its own process' : 'in this process'}.`);
  console.log('Breakdown (ms after the mutation was sent; server marks from the api\'s own event bus):');
  printTable([
    ['stage', 'n', 'mean', 'p50', 'p95', 'p99', 'max'],
    row('lock executed the signed cmd', stats(rel('executed'))),
    row('SENT published (after PUBACK)', stats(rel('sentEvent'))),
    row('HTTP response received', stats(rel('tHttp'))),
    row('SUCCEEDED published on the bus', done),
    row('client: lockChanged received', lockView),
    row('client: commandUpdated SUCCEEDED', cmdView),
    row('  of which lock exec -> SUCCEEDED', stats(between('executed', 'doneEvent'))),
  ]);
  console.log(
    `commandUpdated subscribed right after the mutation missed SUCCEEDED for ${int(missed)} of ${int(samples.length)} commands ` +
      `(${((missed / samples.length) * 100).toFixed(1)}%): the command completed before the subscription was in place.`,
  );
  console.log('\nSummary (goal: p99 <= 10 ms, mutation sent -> SUCCEEDED):');
  printTable([
    ['measure', 'mean', 'p50', 'p95', 'p99', 'goal met'],
    ['mutation -> SUCCEEDED event (server bus)', ms(done.mean), ms(done.p50), ms(done.p95), ms(done.p99), done.p99 <= 10 ? 'yes' : 'no'],
    ['mutation -> client sees it (lockChanged)', ms(lockView.mean), ms(lockView.p50), ms(lockView.p95), ms(lockView.p99), lockView.p99 <= 10 ? 'yes' : 'no'],
  ]);
  console.log(`CPU of this process (api + client) per command: ${cpuMsPerCommand.toFixed(2)} ms`);
  console.log(`load average at the end: ${machine().loadavg.join(' ')}`);
  const name = args['save-as'] || `command-roundtrip${args.nodelay ? `-nodelay-${args.nodelay}` : ''}${args['lock-process'] ? '-lock-process' : ''}`;
  saveResult(name, { broker: brokerLabel, without: args.without, nodelay: args.nodelay || null, lockProcess: args['lock-process'], commands: COMMANDS, done, lockView, cmdView, missedCommandUpdated: missed, cpuMsPerCommand, lockViewSamples: rel('lockSeen') });
} finally {
  await ws?.dispose();
  await lock?.stop({ graceful: true });
  await app.close();
  await mosquitto?.stop();
}
process.exit(0);
