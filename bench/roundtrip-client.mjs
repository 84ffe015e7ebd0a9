// Child process of roundtrip-processes.mjs: the person's phone. Sends sequential LOCK/UNLOCK
// mutations over HTTP (transport 'http') or over its graphql-ws socket (transport 'ws', as the PWA
// does while that socket is open) and times each one until its own graphql-ws `lockChanged` subscription shows
// the new status: the round trip as a user sees it, on this process's clock only.
import { post } from './http-post.mjs';
import { require } from './lib.mjs';

const { createClient } = require('graphql-ws');
const { WebSocket } = require('ws');
const send = (message) => process.send?.(message);

/** Told to go on after the warm-up (`holdAfterWarmup`): the benchmark starts counting first. */
let measure = () => undefined;
const measuring = new Promise((resolve) => (measure = resolve));

/**
 * `warmupPauseMs` (default `pauseMs`) between warm-up commands; `holdAfterWarmup` reports 'warmed' after
 * them and waits for { type: 'measure' } (command-instructions.mjs counts from there, on this same socket).
 */
async function run({ httpUrl, wsUrl, token, deviceId, commands, warmup, pauseMs, warmupPauseMs = pauseMs, holdAfterWarmup = false, transport = 'http' }) {
  const ws = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: false, retryAttempts: 0 });
  const waiters = [];
  const stop = ws.subscribe(
    { query: 'subscription($d: ID) { lockChanged(deviceId: $d) { deviceId status } }', variables: { d: deviceId } },
    {
      next: ({ data }) => {
        const t = performance.now();
        const status = data?.lockChanged?.status;
        for (const w of waiters.splice(0)) w(status, t);
      },
      error: (e) => send({ type: 'error', message: `lockChanged: ${JSON.stringify(e)}` }),
      complete: () => undefined,
    },
  );
  // Settled by the answer (`next`), as the app's live client is; `complete` follows a frame later.
  const overSocket = (payload) =>
    new Promise((resolve) => {
      ws.subscribe(payload, { next: resolve, error: (errors) => resolve({ errors: Array.isArray(errors) ? errors : [{ message: String(errors) }] }), complete: () => resolve({}) });
    });
  const mutate = (payload) => (transport === 'ws' ? overSocket(payload) : post(httpUrl, token, payload));
  // graphql-ws confirms no subscription: the warm-up commands cover the moment it is not yet live
  // (their misses are not counted).

  const samples = [];
  const failures = {};
  const cpuAt = { start: undefined };
  for (let i = 0; i < warmup + commands; i++) {
    if (i === warmup) {
      if (holdAfterWarmup) {
        send({ type: 'warmed' });
        await measuring;
      }
      cpuAt.start = process.cpuUsage();
    }
    const action = i % 2 === 0 ? 'unlock' : 'lock';
    const expected = action === 'lock' ? 'LOCKED' : 'UNLOCKED';
    const seen = new Promise((resolve) => {
      const waiter = (status, t) => (status === expected ? resolve(t) : waiters.push(waiter));
      waiters.push(waiter);
    });
    const t0 = performance.now();
    const body = await mutate({ query: `mutation($d: ID!) { ${action}(deviceId: $d) { id } }`, variables: { d: deviceId } });
    if (!body.data?.[action]?.id) {
      const code = body.errors?.[0]?.extensions?.code ?? 'unknown';
      if (i >= warmup) failures[code] = (failures[code] ?? 0) + 1;
      waiters.length = 0;
      continue;
    }
    const tHttp = performance.now();
    const timeout = new Promise((resolve) => setTimeout(() => resolve(undefined), 5000).unref());
    const tSeen = await Promise.race([seen, timeout]);
    if (tSeen === undefined) {
      if (i >= warmup) failures.NOT_SEEN_IN_5_S = (failures.NOT_SEEN_IN_5_S ?? 0) + 1;
      waiters.length = 0;
    } else if (i >= warmup) samples.push({ http: tHttp - t0, seen: tSeen - t0, id: body.data[action].id, sentAt: performance.timeOrigin + t0 });
    const pause = i < warmup ? warmupPauseMs : pauseMs;
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
  }
  const cpu = process.cpuUsage(cpuAt.start);
  stop();
  await ws.dispose();
  send({ type: 'done', samples, failures, clientCpuMs: (cpu.user + cpu.system) / 1000 });
}

process.on('message', (message) => {
  if (message.type === 'stop') process.exit(0);
  if (message.type === 'measure') measure();
  if (message.type === 'run') {
    run(message).catch((error) => {
      send({ type: 'error', message: error instanceof Error ? error.stack : String(error) });
      process.exit(1);
    });
  }
});
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(2), 20 * 60_000).unref();
