// Big data (issue 17 item 5): 100,000 locks and 10,000,000 audit entries in SQLite. Measures, over
// real HTTP GraphQL requests to the built api in its own process (sent from a client process of
// their own, page-client.mjs), an admin's first page of `locks`,
// filtered `auditLog` pages (first and deep in through the cursor) and a lock's `commands` pages;
// the same store reads run in this process through better-sqlite3 are the baseline (what the api
// adds is the ratio). Then statuses of all 100,000 locks fill the api's ingest cache (through
// Mosquitto on 127.0.0.1:1883) and the api's RSS is printed. Goals: p99 <= 20 ms, RSS <= 300 MB.
//
//   npm run build:api && node bench/big-data.mjs [--locks 100000] [--audit 10000000] [--runs 200]
//     [--mosquitto-url mqtt://127.0.0.1:1883] [--skip-ingest] [--ingest-seconds 600] [--settle-seconds 180]
//     [--api-node-args="--trace-gc"]
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startApiProcess } from './api-process.mjs';
import { graphqlData } from './http-post.mjs';
import { api, forkChild, int, machine, ms, printMachine, printTable, require, saveResult, stats, waitFor } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    locks: { type: 'string', default: '100000' },
    audit: { type: 'string', default: '10000000' },
    commands: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '200' },
    'mosquitto-url': { type: 'string', default: process.env.BENCH_MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883' },
    'skip-ingest': { type: 'boolean', default: false },
    // Flags for the api's node, e.g. "--trace-gc" (then each timed request slower than 15 ms is
    // printed with the api's garbage collections during it) or "--max-semi-space-size=64".
    'api-node-args': { type: 'string', default: '' },
    // On a loaded machine the first status of each lock (a visible change: a write and an audit
    // entry) may be slower than the time at hand: the fill stops here and the RSS per lock is printed.
    'ingest-seconds': { type: 'string', default: '600' },
    // How long to keep reading the api's RSS after the fill (every 30 s).
    'settle-seconds': { type: 'string', default: '180' },
  },
});
const LOCKS = Number(args.locks);
const AUDIT = Number(args.audit);
const COMMANDS = Number(args.commands);
const RUNS = Number(args.runs);
// Requests per page before the timed ones: the api's code is compiled as it warms up, and the
// first page measured would otherwise time that (a server that has run a while has done it).
const WARMUP = 20;
const OWNERS = 50;
const DAY = 86_400_000;
const ADMIN = { username: 'bench-admin', password: 'bench admin password' };

const Database = require('better-sqlite3');
const { openStore } = api('store/open-store.js');
const { DeviceKeys } = api('devices/device-keys.js');
const { signPayload } = api('devices/protocol/signature.js');
const { statusJson } = api('devices/protocol/messages.js');

const loads = [];
const load = (when) => loads.push({ when, loadavg: os.loadavg().map((v) => Number(v.toFixed(2))) });
const deviceId = (i) => `lock-${String(i).padStart(6, '0')}`;
// Reproducible secrets, so the status publisher can sign for every lock without a table of them.
const MASTER = randomBytes(32);
const secretOf = (id) => createHmac('sha256', MASTER).update(id).digest();

printMachine(`Big data: ${int(LOCKS)} locks, ${int(AUDIT)} audit entries (issue 17 item 5)`);
load('start');
const dir = mkdtempSync(join(os.tmpdir(), 'smartlock-bench-bigdata-'));
const file = join(dir, 'smartlock.db');
const sealingKey = randomBytes(32);
let apiProcess;
let client;
try {
  // ---- seeding ---------------------------------------------------------------------------
  await (await openStore({ sqliteFile: file })).close(); // creates and migrates the schema
  const t0 = performance.now();
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  // Indexes are built once after the rows (their own SQL, from sqlite_master), not row by row.
  const auditIndexes = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit' AND sql IS NOT NULL`).all().map((r) => r.sql);
  for (const sql of auditIndexes) db.exec(`DROP INDEX ${/CREATE INDEX (\S+)/.exec(sql)[1]}`);
  const owners = Array.from({ length: OWNERS }, (_, i) => `owner-${i}`);
  const insertUser = db.prepare(`INSERT INTO users (id, username, password_hash, role, created_at) VALUES (?, ?, 'x', 'USER', ?)`);
  const insertLock = db.prepare(
    `INSERT INTO locks (device_id, name, name_folded, owner, status, state, last_seen, battery, power, rssi, firmware, secret_sealed, last_boot, last_seq, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'LOCKED', 'UNAVAILABLE', ?, 90, 'BATTERY', -60, 'bench-1.0.0', ?, 0, 0, ?, ?)`,
  );
  const now = Date.now();
  const since = now - 365 * DAY;
  const keys = new DeviceKeys([sealingKey]);
  db.transaction(() => {
    for (const owner of owners) insertUser.run(randomBytes(8).toString('hex'), owner, since);
    for (let i = 0; i < LOCKS; i++) {
      const id = deviceId(i);
      // Owners of very different sizes: owner-0 has half the fleet, the rest share the other half.
      const owner = i % 2 === 0 ? owners[0] : owners[1 + (i % (OWNERS - 1))];
      // name_folded as the api writes it (api/src/store/sqlite/name-folding.ts: lower case).
      insertLock.run(id, `Front door ${i}`, `front door ${i}`, owner, since, keys.seal(id, secretOf(id)), since, since);
    }
  })();
  const tLocks = performance.now();
  console.log(`seeded ${int(LOCKS)} locks (${OWNERS} owners) in ${((tLocks - t0) / 1000).toFixed(1)} s`);

  // Audit: a year, in time order; most entries are locks' own status changes (no actor), the rest
  // commands and sign-ins by owners; devices follow a skewed spread (some locks are far busier).
  const ACTIONS = ['lock.status', 'lock.status', 'lock.status', 'lock.status', 'command.unlock', 'command.lock', 'lock.offline', 'lock.online', 'user.signIn', 'lock.rename'];
  const insertAudit = db.prepare(`INSERT INTO audit (at, actor, action, device_id, result, detail) VALUES (?, ?, ?, ?, ?, ?)`);
  const BATCH = 200_000;
  const step = (365 * DAY) / AUDIT;
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const batch = db.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const action = ACTIONS[Math.floor(rand() * ACTIONS.length)];
      const lock = Math.floor(rand() ** 2 * LOCKS);
      const actor = action.startsWith('lock.') && action !== 'lock.rename' ? null : owners[Math.floor(rand() * OWNERS)];
      insertAudit.run(Math.floor(since + i * step), actor, action, action === 'user.signIn' ? null : deviceId(lock), 'ok', action === 'lock.status' ? 'LOCKED' : null);
    }
  });
  for (let from = 0; from < AUDIT; from += BATCH) batch(from, Math.min(AUDIT, from + BATCH));
  const tAudit = performance.now();
  console.log(`seeded ${int(AUDIT)} audit entries in ${((tAudit - tLocks) / 1000).toFixed(1)} s`);
  for (const sql of auditIndexes) db.exec(sql);
  const tIndexes = performance.now();
  console.log(`built ${auditIndexes.length} audit indexes in ${((tIndexes - tAudit) / 1000).toFixed(1)} s`);

  // Commands: a busy lock with 5,000, the rest spread over the fleet.
  const insertCommand = db.prepare(
    `INSERT INTO commands (id, device_id, action, state, counter, requested_by, created_at, completed_at) VALUES (?, ?, ?, 'SUCCEEDED', ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < COMMANDS; i++) {
      const lock = i < 5_000 ? 1 : Math.floor(rand() * LOCKS);
      const at = Math.floor(since + (i / COMMANDS) * 365 * DAY);
      insertCommand.run(randomBytes(16).toString('hex'), deviceId(lock), i % 2 ? 'LOCK' : 'UNLOCK', i, owners[0], at, at + 400);
    }
  })();
  db.close();
  const seconds = (performance.now() - t0) / 1000;
  const bytes = statSync(file).size;
  console.log(`seeded ${int(COMMANDS)} commands; total ${seconds.toFixed(1)} s, file ${(bytes / 1e9).toFixed(2)} GB`);
  load('after seeding');

  // ---- the api in its own process -----------------------------------------------------------
  const metricsToken = randomBytes(32).toString('hex');
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const t1 = performance.now();
  let warnings = 0;
  const gcLines = [];
  const onLog = (entry, line) => entry.level >= 40 && warnings++ < 20 && console.error(`api ${entry.level >= 50 ? 'error' : 'warning'}: ${line.slice(0, 400)}`);
  apiProcess = await startApiProcess({
    dataDir: dir,
    onLog,
    execArgv: args['api-node-args'].split(' ').filter(Boolean),
    onRawLine: (line) => gcLines.push({ at: performance.timeOrigin + performance.now(), line: line.trim() }),
    env: {
      SECRETS_KEYS: sealingKey.toString('hex'), ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password,
      MQTT_URL: args['mosquitto-url'], MQTT_USERNAME: 'bench', MQTT_PASSWORD: 'bench', MQTT_TOPIC_PREFIX: prefix,
      METRICS_TOKEN: metricsToken, OVERLOAD_LAG_MS: '60000',
    },
  });
  const { url, rssMb } = apiProcess;
  console.log(`api (pid ${apiProcess.pid}) listening at ${url} after ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  console.log(`api RSS at start: ${rssMb().toFixed(0)} MB`);

  // Untimed requests (sign-in, cursors deep in) from this process; the store baselines leave its
  // socket idle past the api's keep-alive, which graphqlData sends again once.
  const post = (query, variables, token) => graphqlData(`${url}/graphql`, token, { query, variables });
  const { signIn } = await post(`mutation ($u: String!, $p: String!) { signIn(username: $u, password: $p) { accessToken } }`, { u: ADMIN.username, p: ADMIN.password });
  const token = signIn.accessToken;

  // ---- pages -----------------------------------------------------------------------------
  // The timed requests come from a process of their own, as a browser's would (page-client.mjs).
  client = forkChild('./page-client.mjs');
  /** With --trace-gc for the api: the requests over 15 ms, with the collections that ran during each. */
  const printSlow = (times, starts) => {
    if (gcLines.length === 0) return;
    times.forEach((took, i) => {
      if (took <= 15) return;
      const during = gcLines.filter((g) => g.at >= starts[i] && g.at <= starts[i] + took + 5).map((g) => g.line);
      console.log(`  request ${i}: ${took.toFixed(1)} ms${during.length ? `, api GC: ${during.join(' | ')}` : ''}`);
    });
    gcLines.length = 0;
  };
  const baseline = await openStore({ sqliteFile: file });
  const LOCK_PAGE = `query ($after: ID) { locks(first: 20, after: $after) { deviceId name status state lastSeen battery owner { username } myRole lastChangedBy } }`;
  const AUDIT_PAGE = `query ($filter: AuditFilterInput, $after: String) { auditLog(filter: $filter, first: 20, after: $after) { edges { node { id at actor action deviceId result detail } } pageInfo { hasNextPage endCursor } } }`;
  const COMMAND_PAGE = `query ($d: ID!, $after: String) { commands(deviceId: $d, first: 20, after: $after) { edges { node { id action state createdAt } } pageInfo { hasNextPage endCursor } } }`;
  const iso = (msAgo) => new Date(now - msAgo).toISOString();
  const busy = deviceId(0); // the skew makes the lowest ids the busiest
  const quiet = deviceId(LOCKS - 1);

  /** A cursor `depth` pages in, found through the api (untimed). */
  async function deepCursor(query, variables, field, depth) {
    let after = null;
    for (let i = 0; i < depth; i++) after = (await post(query, { ...variables, after }, token))[field].pageInfo.endCursor;
    return after;
  }
  const auditCase = (name, filter, depth = 0) => ({
    name,
    api: async () => ({ query: AUDIT_PAGE, variables: { filter, after: depth ? await deepCursor(AUDIT_PAGE, { filter }, 'auditLog', depth) : null } }),
    store: (variables) => () => baseline.audit.query(storeFilter(filter), { first: 20, ...(variables.after ? { after: variables.after } : {}) }),
  });
  const storeFilter = (filter) => ({
    ...filter,
    ...(filter.actor ? { actor: filter.actor.toLowerCase() } : {}),
    ...(filter.from ? { from: new Date(filter.from) } : {}),
    ...(filter.to ? { to: new Date(filter.to) } : {}),
  });
  const cases = [
    {
      name: 'locks, first page (admin)',
      api: async () => ({ query: LOCK_PAGE, variables: {} }),
      store: () => () => baseline.locks.listPage({ first: 20 }),
    },
    {
      name: 'locks, page 2,500 (admin)',
      api: async () => ({ query: LOCK_PAGE, variables: { after: deviceId(50_000 - 1) } }),
      store: () => () => baseline.locks.listPage({ first: 20, after: Buffer.from(deviceId(50_000 - 1)).toString('base64url') }),
    },
    auditCase('auditLog, no filter', {}),
    auditCase('auditLog, no filter, page 500', {}, 500),
    auditCase('auditLog by deviceId (busy lock)', { deviceId: busy }),
    auditCase('auditLog by deviceId (busy lock), page 50', { deviceId: busy }, 50),
    auditCase('auditLog by deviceId (quiet lock)', { deviceId: quiet }),
    auditCase('auditLog by device name', { device: 'front door 77' }),
    auditCase('auditLog by actor', { actor: 'owner-7' }),
    auditCase('auditLog by actor, page 100', { actor: 'owner-7' }, 100),
    auditCase('auditLog by action', { action: 'command.unlock' }),
    auditCase('auditLog by rare action', { action: 'lock.rename' }),
    auditCase('auditLog by action + actor', { action: 'command.unlock', actor: 'owner-3' }),
    auditCase('auditLog by deviceId + last 30 days', { deviceId: busy, from: iso(30 * DAY) }),
    auditCase('auditLog, last 24 h (from)', { from: iso(DAY) }),
    auditCase('auditLog, to 6 months ago', { to: iso(182 * DAY) }),
    auditCase('auditLog, one day 6 months ago (from, to)', { from: iso(183 * DAY), to: iso(182 * DAY) }),
    {
      name: 'commands, busy lock, first page',
      api: async () => ({ query: COMMAND_PAGE, variables: { d: deviceId(1) } }),
      store: () => () => baseline.commands.listByDevice(deviceId(1), { first: 20 }),
    },
    {
      name: 'commands, busy lock, page 100',
      api: async () => ({ query: COMMAND_PAGE, variables: { d: deviceId(1), after: await deepCursor(COMMAND_PAGE, { d: deviceId(1) }, 'commands', 100) } }),
      store: (variables) => () => baseline.commands.listByDevice(deviceId(1), { first: 20, after: variables.after }),
    },
  ];

  const results = [];
  for (const c of cases) {
    const { query, variables } = await c.api();
    const runs = c.name.includes('(from, to)') || c.name.includes('to 6 months') ? Math.min(RUNS, 20) : RUNS;
    const { times: apiTimes, starts } = await client.request({ type: 'time', url: `${url}/graphql`, token, query, variables, warmup: WARMUP, runs }, 'timed');
    printSlow(apiTimes, starts);
    const read = c.store(variables);
    for (let i = 0; i < 5; i++) await read();
    const storeTimes = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      await read();
      storeTimes.push(performance.now() - s);
    }
    const a = stats(apiTimes);
    const b = stats(storeTimes);
    const row = { name: c.name, runs, api: a, store: b, ratio: a.p99 / b.p99, loadavg: os.loadavg()[0] };
    results.push(row);
    console.log(`${c.name}: api p50 ${ms(a.p50)} p95 ${ms(a.p95)} p99 ${ms(a.p99)} | store p99 ${ms(b.p99)} | load ${row.loadavg.toFixed(1)}`);
  }
  await baseline.close();
  load('after the pages');

  // ---- the ingest cache --------------------------------------------------------------------
  let rss = { start: rssMb() };
  if (!args['skip-ingest']) {
    const { connect } = require('mqtt');
    const client = connect(args['mosquitto-url'], { username: 'bench', password: 'bench', clientId: `bench-bigdata-${process.pid}` });
    await new Promise((resolve, reject) => client.once('connect', resolve).once('error', reject));
    const accepted = async () => {
      const get = () => fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      const text = await (await get().catch(get)).text(); // once more after a closed keep-alive connection
      return [...text.matchAll(/^smartlock_mqtt_status_accepted_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    };
    const before = await accepted();
    const t2 = performance.now();
    // Below Mosquitto's max_queued_messages (1,000) for the api's session, which it fills at QoS 0.
    const CHUNK = 500;
    const budget = Number(args['ingest-seconds']) * 1000;
    for (let from = 0; from < LOCKS && performance.now() - t2 < budget; from += CHUNK) {
      // The lock's clock now: a fill slower than the api's skew window (120 s) must not turn stale.
      const ts = Math.floor(Date.now() / 1000);
      for (let i = from; i < Math.min(LOCKS, from + CHUNK); i++) {
        const id = deviceId(i);
        const payload = signPayload(secretOf(id), statusJson({
          v: 1, type: 'status', dev: id, boot: 1, seq: 1, status: 'LOCKED', ctr: 0, ts, uptime: 100, rssi: -60, battery: 90, power: 'BATTERY', issue: '', fw: 'bench-1.0.0',
        }));
        client.publish(`${prefix}/${id}/status`, payload, { qos: 1 });
      }
      // Paced by what the api took, so Mosquitto never drops for a full queue.
      const done = await waitFor(async () => (await accepted()) - before >= Math.min(LOCKS, from + CHUNK) * 0.99, 120_000, 'the api to accept the statuses')
        .then(() => true, (error) => (console.log(`stopping the fill: ${error.message}`), false));
      if (!done) break;
    }
    await waitFor(async () => (await accepted()) - before >= LOCKS, 10_000, 'every status').catch(() => undefined);
    const took = (performance.now() - t2) / 1000;
    const got = (await accepted()) - before;
    client.end(true);
    rss = { ...rss, filled: rssMb(), accepted: got, seconds: took };
    // Settled: after a GC opportunity and the batch writer's flush.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    rss.settled = rssMb();
    // What stays: V8 gives the heap the fill grew back to the system only a while after the
    // allocations stop (and the offline sweep marks the silent locks Unavailable 30 s after their status).
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    rss.idle = rssMb();
    rss.later = [];
    for (let waited = 30; waited < Number(args['settle-seconds']); waited += 30) {
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      rss.later.push({ seconds: 3 + waited + 30, mb: rssMb() });
      console.log(`api RSS ${3 + waited + 30} s after the fill: ${rss.later.at(-1).mb.toFixed(0)} MB`);
    }
    rss.settledLast = rss.later.at(-1)?.mb ?? rss.idle;
    // What of that is V8's live heap (prom-client's default metrics): the rest is heap V8 keeps, code and native memory.
    const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    const metric = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN) / 1048576;
    rss.heapUsed = metric('smartlock_nodejs_heap_size_used_bytes');
    rss.heapTotal = metric('smartlock_nodejs_heap_size_total_bytes');
    rss.external = metric('smartlock_nodejs_external_memory_bytes');
    console.log(`api heap then: ${rss.heapUsed.toFixed(0)} MB used of ${rss.heapTotal.toFixed(0)} MB, external ${rss.external.toFixed(0)} MB`);
    rss.perLockKb = ((rss.settledLast - rss.start) * 1024) / got;
    rss.at100k = rss.start + (rss.perLockKb * 100_000) / 1024;
    console.log(`RSS per cached lock: ${rss.perLockKb.toFixed(2)} KB; at 100,000 locks: ${rss.at100k.toFixed(0)} MB${got < 100_000 ? ' (extrapolated)' : ''}`);
    console.log(`ingest cache: ${int(got)} statuses accepted in ${took.toFixed(1)} s; api RSS ${rss.start.toFixed(0)} MB at start, ${rss.filled.toFixed(0)} MB filled, ${rss.settled.toFixed(0)} MB 3 s later, ${rss.idle.toFixed(0)} MB 33 s later, ${rss.settledLast.toFixed(0)} MB at the end (goal 300 MB)`);
    load('after the ingest');
  }

  console.log('\nSummary (times in ms; ratio = api p99 / store p99; goal p99 <= 20 ms)');
  printTable([
    ['page', 'runs', 'api p50', 'api p95', 'api p99', 'store p50', 'store p99', 'ratio', 'load 1 min', 'goal'],
    ...results.map((r) => [r.name, r.runs, r.api.p50.toFixed(2), r.api.p95.toFixed(2), r.api.p99.toFixed(2), r.store.p50.toFixed(2), r.store.p99.toFixed(2), r.ratio.toFixed(1), r.loadavg.toFixed(1), r.api.p99 <= 20 ? 'met' : 'NOT met']),
  ]);
  console.log(`load averages: ${loads.map((l) => `${l.when} ${l.loadavg.join(' ')}`).join('; ')}`);
  saveResult('big-data', { locks: LOCKS, audit: AUDIT, commands: COMMANDS, seeding: { seconds, bytes }, results, rss, loads, machine: machine() });
} finally {
  await client?.stop();
  await apiProcess?.stop();
  rmSync(dir, { recursive: true, force: true });
}
