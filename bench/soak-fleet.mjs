// Child process of soak.mjs: a share of the fleet as SimulatedLocks (the api's own protocol v1
// lock: signed heartbeats every 9 s, verified commands, acks), plus deliberate abrupt
// disconnects (the socket is destroyed, so the broker publishes the lock's will and mqtt.js
// reconnects 1-5 s later). Reports every command it executed and every disconnect it caused.
import { api } from './lib.mjs';

const { SimulatedLock } = api('simulator/simulated-lock.js');
const { MemoryCounterStore } = api('simulator/counter-store.js');

const send = (message) => process.send?.(message);
const locks = [];
let disconnectTimer;

process.on('message', (message) => {
  void (async () => {
    try {
      if (message.type === 'start') {
        const { devices, brokerUrl, topicPrefix, heartbeatMs } = message;
        // Waves of 50 with a pause: 5,000 locks connecting at once overflowed an event-bus
        // subscriber in the api process (RepeaterOverflowError: > 1024 pending pushes).
        for (let i = 0; i < devices.length; i += 50) {
          if (i > 0) await new Promise((resolve) => setTimeout(resolve, 250));
          await Promise.all(
            devices.slice(i, i + 50).map(async (d) => {
              const lock = new SimulatedLock({ brokerUrl, deviceId: d.deviceId, deviceSecret: d.deviceSecret, topicPrefix, heartbeatMs, state: new MemoryCounterStore() });
              lock.on('command', (event) => event.id && send({ type: 'executed', deviceId: d.deviceId, id: event.id, outcome: event.outcome }));
              await lock.start();
              locks.push(lock);
            }),
          );
        }
        send({ type: 'started', count: locks.length });
      } else if (message.type === 'disconnects') {
        // `perMinute` abrupt disconnects of random locks, spread evenly; 0 stops them.
        clearInterval(disconnectTimer);
        if (!(message.perMinute > 0)) return;
        const every = 60_000 / message.perMinute;
        disconnectTimer = setInterval(() => {
          const lock = locks[Math.floor(Math.random() * locks.length)];
          // The simulator's client is private; the soak reaches in to cut the socket as a Wi-Fi drop would.
          const client = lock?.client;
          if (!client?.connected) return;
          client.stream.destroy();
          send({ type: 'disconnected', deviceId: lock.deviceId, at: Date.now() });
        }, every);
      } else if (message.type === 'stop') {
        clearInterval(disconnectTimer);
        await Promise.all(locks.map((l) => l.stop({ graceful: true }).catch(() => undefined)));
        process.exit(0);
      }
    } catch (error) {
      send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    }
  })();
});
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(2), 3 * 60 * 60_000).unref();
