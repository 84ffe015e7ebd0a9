// Child process of graphql-burn.mjs: the real api alone in its own process, so that the prober's
// and the attacker's own work does not share its event loop. Replies with its URL, reports its
// CPU time on request, stops on request.
import { startBenchApp } from './lib.mjs';

const app = await startBenchApp(JSON.parse(process.env.BENCH_ENV ?? '{}'));
process.send({ type: 'ready', url: `http://127.0.0.1:${app.port}` });
process.on('message', async (message) => {
  if (message.type === 'cpu') process.send({ type: 'cpu', micros: process.cpuUsage() });
  if (message.type !== 'stop') return;
  await app.close();
  process.exit(0);
});
