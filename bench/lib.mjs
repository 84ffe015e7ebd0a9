// Shared helpers for the benchmarks: compiled api modules, the machine, timing and tables.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fork } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
/** Resolves like code in api/ does (its node_modules, then the workspace root's). */
export const require = createRequire(new URL('../api/package.json', import.meta.url));
require('reflect-metadata');

/** A compiled api module, e.g. api('app/app.js'). Run `npm run build:api` first. */
export function api(path) {
  try {
    return require(`./dist/src/${path}`);
  } catch (error) {
    if (error.code === 'MODULE_NOT_FOUND') {
      throw new Error(`api/dist/src/${path} is missing: run \`npm run build:api\` first`, { cause: error });
    }
    throw error;
  }
}

/** CPU seconds (user + system) of a process so far, from /proc; null when it is gone or unreadable. */
export function procCpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadavg: os.loadavg().map((v) => Number(v.toFixed(2))),
    idle: CPU_IDLE,
  };
}

/**
 * How an idle CPU waits here: the cpuidle driver, and on a KVM guest with `haltpoll` how long a vCPU
 * polls before it halts (0: it halts at once). Round trips with pauses depend on it (bench/README.md,
 * item 2), so every benchmark prints it.
 */
function cpuIdle() {
  const read = (path) => {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch {
      return null;
    }
  };
  const driver = read('/sys/devices/system/cpu/cpuidle/current_driver') ?? 'unknown';
  const pollNs = read('/sys/module/haltpoll/parameters/guest_halt_poll_ns');
  return pollNs === null ? driver : `${driver}, guest_halt_poll_ns ${pollNs}`;
}
// Read once: machine() is also called in loops for the load average.
const CPU_IDLE = cpuIdle();

export function printMachine(title) {
  const m = machine();
  console.log(`\n=== ${title} ===`);
  console.log(`machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.os}; cpuidle: ${m.idle}`);
  console.log(`load average at start: ${m.loadavg.join(' ')}${m.loadavg[0] > m.cores * 0.5 ? '  (the machine is busy with other work: expect slower, noisier figures)' : ''}`);
  return m;
}

/** Starts the real api in this process, configured the way the tests do. */
export async function startBenchApp(env = {}) {
  const { startApp } = api('app/app.js');
  const { parseConfig } = api('config/config.js');
  const { createLogger } = api('app/logger.js');
  const dataDir = mkdtempSync(join(os.tmpdir(), 'smartlock-bench-'));
  const config = parseConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    SCRYPT_COST: '12',
    LOG_LEVEL: 'silent',
    MQTT_PORT: '0',
    MQTT_TLS_PORT: '0',
    MQTT_HOST: '127.0.0.1',
    MQTT_TOPIC_PREFIX: `bench-${randomUUID()}`,
    // Benchmarks send commands faster than a person may (the abuse limit is 10 a minute per lock).
    COMMAND_RATE_BURST_MAX: '1000000',
    COMMAND_RATE_SUSTAINED_MAX: '1000000',
    ...env,
  });
  const app = await startApp(config, createLogger('silent'));
  return {
    ...app,
    config,
    dataDir,
    httpUrl: `http://127.0.0.1:${app.port}/graphql`,
    wsUrl: `ws://127.0.0.1:${app.port}/graphql`,
    async close() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    mean,
    min: sorted[0],
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

export const ms = (v, digits = 2) => (Number.isFinite(v) ? `${v.toFixed(digits)} ms` : 'n/a');
export const int = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');

/** Prints rows (arrays of cells) as an aligned table; the first row is the header. */
export function printTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  const line = (r) => r.map((cell, c) => String(cell ?? '').padEnd(widths[c])).join(' | ');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows.slice(1)) console.log(line(r));
}

/** Saves a result for run-all's summary (bench/results/<name>.json). */
export function saveResult(name, result) {
  const dir = join(BENCH_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ at: new Date().toISOString(), machine: machine(), ...result }, null, 2)}\n`);
}

export const sleep = (msDelay) => new Promise((resolve) => setTimeout(resolve, msDelay));

/** Resolves when `check()` is truthy; rejects after `timeoutMs`. */
export async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** A TCP port free on 127.0.0.1 right now (for a child process to listen on). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A benchmark's child process (a script in bench/) spoken to over IPC: `request(message, replyType)`
 * resolves with its next message of that type; an `error` message ends the benchmark; `stop()` asks
 * it to exit (`{ type: 'stop' }`) and kills it after 5 s.
 */
export function forkChild(script, { argv = [], execArgv = [], env = process.env } = {}) {
  const proc = fork(new URL(script, import.meta.url), argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv, env });
  const waiting = new Map();
  proc.on('message', (m) => {
    if (m.type === 'error') {
      console.error(`${script}: ${m.message}`);
      process.exit(1);
    }
    waiting.get(m.type)?.(m);
    waiting.delete(m.type);
  });
  return {
    proc,
    request: (message, reply) => new Promise((resolve) => (waiting.set(reply, resolve), proc.send(message))),
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null || !proc.connected) return;
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.send({ type: 'stop' });
      await Promise.race([exited, sleep(5000).then(() => proc.kill('SIGKILL'))]);
    },
  };
}
