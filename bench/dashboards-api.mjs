// Child process of dashboards.mjs: the compiled api alone in its process (the embedded broker in a
// process of its own, as the api starts it), so that its RSS and CPU are the api's. Creates the
// owners, the admins and their locks, then answers usage requests until told to stop.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { api, startBenchApp } from './lib.mjs';

const send = (message) => process.send?.(message);
const PASSWORD = 'bench-password-0123456789';
let app;
/** The api's event-loop delay since the last usage request: how late it runs what is due. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

/** Sign-ups are throttled per address: each account signs up from an address of its own. */
const addressOf = (n) => `10.77.${(n >> 8) & 255}.${n & 255}`;

async function setup({ env, owners, admins, locks }) {
  app = await startBenchApp(env);
  const { services } = app;
  const { auth, store, locks: lockService } = services;
  const ownerSessions = [];
  for (let i = 0; i < owners; i++) ownerSessions.push(await auth.signUp(`dash-owner-${i}`, PASSWORD, addressOf(i)));
  const adminTokens = [];
  for (let i = 0; i < admins; i++) {
    const username = `dash-admin-${i}`;
    await auth.signUp(username, PASSWORD, addressOf(owners + i));
    await store.users.setRole(username, 'ADMIN');
    // Signed in again after the promotion, as a person would be.
    adminTokens.push((await auth.signIn(username, PASSWORD, addressOf(owners + i))).accessToken);
  }
  const devices = [];
  for (let i = 0; i < locks; i++) {
    const owner = i % owners;
    const deviceId = `dash-${String(i).padStart(5, '0')}`;
    const registration = await lockService.register(ownerSessions[owner].user, deviceId, `Door ${i}`);
    devices.push({ deviceId, deviceSecret: registration.deviceSecret, mqttPassword: registration.mqttPassword, owner });
  }
  send({
    type: 'ready',
    wsUrl: app.wsUrl,
    brokerUrl: app.brokerUrl,
    prefix: app.topics.prefix,
    devices,
    ownerTokens: ownerSessions.map((s) => s.accessToken),
    adminTokens,
  });
}

/** What the parent needs to judge the api: its memory and CPU so far, and what it accepted. */
async function usage() {
  const { rss, heapUsed } = process.memoryUsage();
  const cpu = process.cpuUsage();
  const changes = (await app.services.metrics.mqttAccepted.get()).values.find((v) => v.labels.kind === 'change')?.value ?? 0;
  const lag = { p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 };
  loopDelay.reset();
  send({ type: 'usage', rss, heapUsed, cpuMicros: cpu.user + cpu.system, at: performance.now(), changesAccepted: changes, lag });
}

process.on('message', (message) => {
  void (async () => {
    try {
      if (message.type === 'setup') await setup(message);
      else if (message.type === 'usage') await usage();
      else if (message.type === 'gc') {
        globalThis.gc?.();
        send({ type: 'gc' });
      } else if (message.type === 'stop') {
        await app?.close().catch(() => undefined);
        process.exit(0); // --cpu-prof writes its profile on exit
      }
    } catch (error) {
      send({ type: 'error', message: error instanceof Error ? error.stack : String(error) });
      process.exit(1);
    }
  })();
});
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(2), 30 * 60_000).unref();
// `api` is imported so a missing build fails here with the hint, before any setup.
api('app/app.js');
