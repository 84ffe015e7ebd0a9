// The compiled api (`api/dist/src/main.js`) as a child process of a benchmark, as it runs in a
// deployment: its own event loop, its own CPU time (read from /proc), its log lines parsed for the
// "listening" line. Run `npm run build:api` first.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { procCpuSeconds, sleep } from './lib.mjs';

// BENCH_API_MAIN runs another build instead (say a worktree of the previous commit), for A/B runs on one machine.
const MAIN_JS = process.env.BENCH_API_MAIN || new URL('../api/dist/src/main.js', import.meta.url).pathname;
// BENCH_API_NODE_FLAGS gives the api's node flags of its own (say `--maglev`), for A/B runs of V8 settings.
const NODE_FLAGS = (process.env.BENCH_API_NODE_FLAGS ?? '').split(' ').filter(Boolean);

/**
 * Starts the api with `env` over test defaults (127.0.0.1, a random port, SCRYPT_COST 12, no
 * command rate limit); `dataDir` defaults to a fresh temp dir removed by stop(). `execArgv` goes to
 * node (e.g. --cpu-prof); `wrapper` runs node under another program (e.g. valgrind: its argv before
 * node's; the pid stays the api's); `main` another build's main.js than BENCH_API_MAIN's. Resolves once
 * it listens, with its URL and the broker URL it logged.
 */
export async function startApiProcess({ env = {}, dataDir, execArgv = [], wrapper = [], main = MAIN_JS, onLog, onRawLine } = {}) {
  const ownDir = dataDir === undefined;
  const dir = dataDir ?? mkdtempSync(join(os.tmpdir(), 'smartlock-bench-api-'));
  const { NODE_ENV: _ignored, ...inherited } = process.env;
  const [command, ...args] = [...wrapper, process.execPath, ...NODE_FLAGS, ...execArgv, main];
  const proc = spawn(command, args, {
    env: {
      ...inherited, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'info', SCRYPT_COST: '12',
      // Benchmarks send commands faster than a person may (the abuse limit is 10 a minute per lock).
      COMMAND_RATE_BURST_MAX: '1000000', COMMAND_RATE_SUSTAINED_MAX: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const listening = await new Promise((resolve, reject) => {
    let buffer = '';
    proc.once('exit', (code) => reject(new Error(`api exited with ${code}`)));
    proc.stdout.on('data', (chunk) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const entry = JSON.parse(line);
          if (String(entry.msg).startsWith('Smartlock api listening')) resolve({ url: String(entry.url).replace('localhost', '127.0.0.1'), broker: entry.broker });
          onLog?.(entry, line);
        } catch {
          onRawLine?.(line); // not a log line (e.g. node's --trace-gc)
        }
      }
    });
  });
  return {
    ...listening,
    pid: proc.pid,
    /** User + system CPU time so far, in ms (clock ticks of 10 ms). */
    cpuMs: () => (procCpuSeconds(proc.pid) ?? Number.NaN) * 1000,
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))[1]) / 1024,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((resolve) => proc.once('exit', resolve));
        proc.kill('SIGTERM');
        await Promise.race([exited, sleep(10_000).then(() => proc.kill('SIGKILL'))]);
      }
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
