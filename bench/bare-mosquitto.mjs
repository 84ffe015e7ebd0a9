// A throwaway Mosquitto for benchmarks: anonymous, on a free port of 127.0.0.1, with the one
// shipped setting that matters for latency (set_tcp_nodelay, deploy/mosquitto/mosquitto.conf) and
// room for a flood's backlog (`maxQueued` per subscriber).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './lib.mjs';

export async function startBareMosquitto({ maxQueued = 1000 } = {}) {
  const dir = mkdtempSync(join(os.tmpdir(), 'smartlock-bench-mosquitto-'));
  const port = await freePort();
  writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\nmax_queued_messages ${maxQueued}\n`);
  const proc = spawn('/usr/sbin/mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  await waitFor(
    () =>
      new Promise((resolve) => {
        const socket = connectTcp(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
        socket.on('error', () => resolve(false));
      }),
    10_000,
    'the benchmark Mosquitto to listen',
  );
  return {
    url: `mqtt://127.0.0.1:${port}`,
    pid: proc.pid,
    async stop() {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
