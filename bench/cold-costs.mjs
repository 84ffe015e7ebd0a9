// Benchmark (issue 17, item 2): what going idle costs this machine. The command round trip is made of
// a few kinds of step: a store commit, a store read, an HMAC, a hop to another process over loopback
// TCP. Each is timed back to back (warm) and again 20 ms after the last one, as people's commands come
// (every process on the path has gone idle meanwhile, and on a VM its vCPU halts and its caches go
// cold). The ratio between the two is the machine's, not the product's: it says how much of the round
// trip's gap between commands 1 ms apart and 20 ms apart (roundtrip-processes.mjs) no code change can win.
//
//   node bench/cold-costs.mjs [--samples 300] [--pause 20]
import { fork } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { api, ms, printMachine, printTable, saveResult, sleep, stats } from './lib.mjs';

if (process.argv[2] === 'echo') {
  // The other process of the loopback hop: echoes each chunk, as a broker forwards a packet.
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => socket.write(chunk));
  });
  server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
  process.on('message', () => process.exit(0));
} else {
  await main();
}

async function main() {
  const { values: args } = parseArgs({ options: { samples: { type: 'string', default: '300' }, pause: { type: 'string', default: '20' } } });
  const SAMPLES = Number(args.samples);
  const PAUSE = Number(args.pause);
  const dir = mkdtempSync(join(os.tmpdir(), 'smartlock-cold-costs-'));
  const store = await api('store/open-store.js').openStore({ sqliteFile: join(dir, 'smartlock.db') });
  const echo = fork(new URL(import.meta.url), ['echo'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve) => echo.once('message', (m) => resolve(m.port)));
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once('connect', resolve));
  const ping = Buffer.alloc(64, 1);
  const key = randomBytes(32);
  const status = JSON.stringify({ v: 2, type: 'status', dev: 'cold-lock', boot: 1, seq: 1, ts: 1764700000, state: 'locked', door: 'closed', ctr: 1, ack: { id: randomBytes(16).toString('hex'), result: 'ok' } });

  // The store commit goes through the store's per-turn batch (turn-batch.ts): alone in its turn, it is
  // one commit after a setImmediate, as an idle api's audit entries are.
  const steps = {
    'store commit (an audit entry, five indexes)': () => store.audit.append({ actor: 'bench', action: 'lock.command', deviceId: 'cold-lock', result: 'SENT', detail: randomBytes(8).toString('hex') }),
    'store read (a lock by device id)': () => store.locks.findByDeviceId('cold-lock'),
    'HMAC-SHA256 of a status': () => createHmac('sha256', key).update(status).digest(),
    'loopback TCP hop to another process and back': () => new Promise((resolve) => (socket.once('data', resolve), socket.write(ping))),
  };

  printMachine('What going idle costs: each step warm, and 20 ms after the last');
  const rows = [];
  for (const [name, step] of Object.entries(steps)) {
    const timed = async (pause) => {
      const took = [];
      for (let i = 0; i < SAMPLES + 20; i++) {
        if (pause > 0) await sleep(pause);
        const t0 = performance.now();
        await step();
        if (i >= 20) took.push(performance.now() - t0); // the first ones warm up the code
      }
      return stats(took);
    };
    const warm = await timed(0);
    const idle = await timed(PAUSE);
    rows.push({ name, warm, idle });
    console.log(`${name}: warm p50 ${ms(warm.p50, 3)}, ${PAUSE} ms apart p50 ${ms(idle.p50, 3)} (× ${(idle.p50 / warm.p50).toFixed(1)})`);
  }
  console.log('\nSummary (p50 / p99; the ratio is of the p50s):');
  printTable([
    ['step', 'warm', `${PAUSE} ms apart`, 'ratio'],
    ...rows.map(({ name, warm, idle }) => [name, `${ms(warm.p50, 3)} / ${ms(warm.p99, 3)}`, `${ms(idle.p50, 3)} / ${ms(idle.p99, 3)}`, `${(idle.p50 / warm.p50).toFixed(1)}×`]),
  ]);
  saveResult('cold-costs', { samples: SAMPLES, pauseMs: PAUSE, rows });
  socket.destroy();
  echo.send('stop');
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
