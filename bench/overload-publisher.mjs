// Child process of overload.mjs and soak.mjs: a fleet of lock connections (real mqtt.js clients
// with keepalive and a Last Will, like the firmware) publishing signed statuses. Heartbeats are
// paced at a total rate, round-robin; a visible change (LOCKED <-> UNLOCKED) is sent for a random
// lock at a given rate. Signing happens on the fly (a lock signs each status as it sends it).
import { api, require } from './lib.mjs';

const { connect } = require('mqtt');
const mqttPacket = require('mqtt-packet');
const { signPayload } = api('devices/protocol/signature.js');
const { statusJson } = api('devices/protocol/messages.js');

/** About what a lock's TCP stack holds unsent: 4 KB (~15 statuses). */
const MAX_QUEUED_BYTES = 4096;
const send = (message) => process.send?.(message);
/** deviceId -> { client, key, topic, seq, status, disconnects } */
const locks = new Map();
let running = null;

function status(lock) {
  lock.seq += 1;
  const unsigned = statusJson({
    v: 1, type: 'status', dev: lock.deviceId, boot: 1, seq: lock.seq, status: lock.status, ctr: 0, ts: Math.floor(Date.now() / 1000),
    uptime: lock.seq, rssi: -50 - (lock.seq % 10), battery: 90, power: 'BATTERY', fw: 'bench-1.0.0',
  });
  return mqttPacket.generate({ cmd: 'publish', topic: lock.topic, payload: signPayload(lock.key, unsigned), qos: 0, retain: false, dup: false });
}

function open(lock, brokerUrl, prefix) {
  const client = connect(brokerUrl, {
    protocolVersion: 4,
    username: lock.deviceId,
    password: lock.mqttPassword,
    clientId: lock.deviceId,
    clean: true,
    keepalive: 10, // as the simulated lock and the firmware
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    will: { topic: `${prefix}/${lock.deviceId}/availability`, payload: Buffer.from('offline'), qos: 1, retain: true },
  });
  client.on('connect', () => {
    client.publish(`${prefix}/${lock.deviceId}/availability`, 'online', { qos: 1, retain: true });
    // Every (re)connect starts with the current status, as the firmware does.
    client.stream.write(status(lock));
  });
  client.on('close', () => {
    if (lock.connectedOnce) lock.disconnects += 1;
  });
  client.once('connect', () => (lock.connectedOnce = true));
  client.on('error', () => undefined);
  return client;
}

async function setup({ brokerUrl, prefix, devices }) {
  for (let i = 0; i < devices.length; i += 50) {
    await Promise.all(
      devices.slice(i, i + 50).map((d) => {
        const lock = { ...d, key: Buffer.from(d.deviceSecret, 'hex'), topic: `${prefix}/${d.deviceId}/status`, seq: 0, status: 'LOCKED', disconnects: 0, connectedOnce: false };
        lock.client = open(lock, brokerUrl, prefix);
        locks.set(d.deviceId, lock);
        return new Promise((resolve) => lock.client.once('connect', resolve));
      }),
    );
  }
  send({ type: 'ready' });
}

/** Offers `rate` heartbeats/s and `changes` visible changes/s for `seconds`; reports what it sent. */
async function run({ rate, changes, seconds }) {
  running = 'run';
  const fleet = [...locks.values()];
  const sentChanges = [];
  let heartbeats = 0;
  let skipped = 0;
  let backpressured = 0;
  let device = 0;
  let changesSent = 0;
  const t0 = performance.now();
  for (;;) {
    const elapsed = (performance.now() - t0) / 1000;
    if (elapsed >= seconds || running !== 'run') break;
    const dueBeats = Math.floor(elapsed * rate);
    while (heartbeats + skipped + backpressured < dueBeats) {
      const lock = fleet[device];
      device = (device + 1) % fleet.length;
      // A lock whose connection is down cannot send (its messages would queue in mqtt.js).
      if (!lock.client.connected) {
        skipped += 1;
        continue;
      }
      // Nor can a device queue megabytes behind a full socket: it skips the heartbeat (its next one
      // says the same). Without this the bench's own buffers, not the api, would starve each lock's
      // PINGREQ, which waits behind them.
      if (lock.client.stream.writableLength > MAX_QUEUED_BYTES) {
        backpressured += 1;
        continue;
      }
      lock.client.stream.write(status(lock));
      heartbeats += 1;
    }
    const dueChanges = Math.floor(elapsed * changes);
    while (changesSent < dueChanges) {
      changesSent += 1;
      const lock = fleet[Math.floor(Math.random() * fleet.length)];
      if (!lock.client.connected) continue;
      lock.status = lock.status === 'LOCKED' ? 'UNLOCKED' : 'LOCKED';
      lock.client.stream.write(status(lock));
      sentChanges.push({ deviceId: lock.deviceId, status: lock.status, at: Date.now() });
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const disconnects = fleet.reduce((s, l) => s + l.disconnects, 0);
  send({ type: 'done', heartbeats, skipped, backpressured, changes: sentChanges, disconnects, seconds: (performance.now() - t0) / 1000 });
}

process.on('message', (message) => {
  void (async () => {
    try {
      if (message.type === 'setup') await setup(message);
      else if (message.type === 'run') await run(message);
      else if (message.type === 'stop-run') running = 'idle'; // ends the current run early (roundtrip-processes.mjs)
      else if (message.type === 'stop') {
        running = 'stop';
        await Promise.all([...locks.values()].map((l) => l.client.endAsync(true).catch(() => undefined)));
        process.exit(0);
      }
    } catch (error) {
      send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    }
  })();
});
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(2), 30 * 60_000).unref();
