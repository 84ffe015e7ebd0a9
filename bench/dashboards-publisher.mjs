// Child process of dashboards.mjs: N locks on MQTT (mqtt.js, as overload-publisher.mjs) sending
// signed visible changes at a fixed total rate, round-robin over the locks. Change i goes to lock
// i % N as its k-th change (k = floor(i / N)): status UNLOCKED for even k, LOCKED for odd k, and
// rssi -(k % 200), so a subscriber can tell which change an event is from the event alone. The
// send time of every change (performance.timeOrigin + now, the same clock in every process on the
// machine) is reported at the end, so subscribers compute their latency afterwards.
import { api, require } from './lib.mjs';

const { connect } = require('mqtt');
const mqttPacket = require('mqtt-packet');
const { signPayload } = api('devices/protocol/signature.js');
const { statusJson } = api('devices/protocol/messages.js');

const send = (message) => process.send?.(message);
const now = () => performance.timeOrigin + performance.now();
let locks = [];

function statusPacket(lock, status, rssi) {
  lock.seq += 1;
  const unsigned = statusJson({
    v: 1, type: 'status', dev: lock.deviceId, boot: 1, seq: lock.seq, status, ctr: 0, ts: Math.floor(Date.now() / 1000),
    uptime: lock.seq, rssi, battery: 90, power: 'BATTERY', fw: 'bench-1.0.0',
  });
  return mqttPacket.generate({ cmd: 'publish', topic: lock.topic, payload: signPayload(lock.key, unsigned), qos: 0, retain: false, dup: false });
}

async function setup({ brokerUrl, prefix, devices }) {
  locks = devices.map((d) => ({ ...d, key: Buffer.from(d.deviceSecret, 'hex'), topic: `${prefix}/${d.deviceId}/status`, seq: 0 }));
  for (let i = 0; i < locks.length; i += 50) {
    await Promise.all(
      locks.slice(i, i + 50).map((lock) => {
        lock.client = connect(brokerUrl, {
          protocolVersion: 4, username: lock.deviceId, password: lock.mqttPassword, clientId: lock.deviceId, clean: true, keepalive: 10, reconnectPeriod: 1000,
          will: { topic: `${prefix}/${lock.deviceId}/availability`, payload: Buffer.from('offline'), qos: 1, retain: true },
        });
        lock.client.on('error', () => undefined);
        lock.client.on('connect', () => {
          lock.client.publish(`${prefix}/${lock.deviceId}/availability`, 'online', { qos: 1, retain: true });
          // The first status brings the lock online (before any subscriber is open).
          lock.client.stream.write(statusPacket(lock, 'LOCKED', -1));
        });
        return new Promise((resolve) => lock.client.once('connect', resolve));
      }),
    );
  }
  send({ type: 'ready' });
}

/** Sends changes `from` .. `from + rate * seconds - 1`, paced at `rate`/s; reports their send times. */
async function run({ from, rate, seconds }) {
  const total = Math.round(rate * seconds);
  const sentAt = new Array(total);
  let notConnected = 0;
  const t0 = performance.now();
  let done = 0;
  while (done < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
    for (; done < due; done++) {
      const i = from + done;
      const lock = locks[i % locks.length];
      const k = Math.floor(i / locks.length);
      if (!lock.client.connected) {
        notConnected += 1;
        sentAt[done] = -1;
        continue;
      }
      lock.client.stream.write(statusPacket(lock, k % 2 === 0 ? 'UNLOCKED' : 'LOCKED', -(k % 200)));
      sentAt[done] = now();
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  send({ type: 'done', from, sentAt, notConnected, seconds: (performance.now() - t0) / 1000 });
}

process.on('message', (message) => {
  void (async () => {
    try {
      if (message.type === 'setup') await setup(message);
      else if (message.type === 'run') await run(message);
      else if (message.type === 'stop') {
        await Promise.all(locks.map((l) => l.client.endAsync(true).catch(() => undefined)));
        process.exit(0);
      }
    } catch (error) {
      send({ type: 'error', message: error instanceof Error ? error.stack : String(error) });
      process.exit(1);
    }
  })();
});
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(2), 30 * 60_000).unref();
