// Child process of ingest.mjs: N device connections that publish pre-signed, pre-encoded
// heartbeats as fast as the sockets take them. Signing and MQTT encoding happen before
// "ready", so the timed path costs the publisher only socket writes.
import { api, require } from './lib.mjs';

const { connect } = require('mqtt');
const mqttPacket = require('mqtt-packet');
const { signPayload } = api('devices/protocol/signature.js');
const { statusJson } = api('devices/protocol/messages.js');

let clients = [];
let warmupPackets = [];
let mainChunks = [];
let mainPackets = [];

function send(message) {
  process.send?.(message);
}

function heartbeat(dev, key, seq, startS) {
  const unsigned = statusJson({
    v: 1, type: 'status', dev, boot: 1, seq, status: 'LOCKED', ctr: 0, ts: startS + Math.floor(seq / 100),
    uptime: Math.floor(seq / 100), rssi: -50 - (seq % 10), battery: 90, power: 'BATTERY', issue: '', fw: 'bench-1.0.0',
  });
  return signPayload(key, unsigned);
}

/** Heartbeats are QoS 0 (protocol v1), so a packet needs no id and mqtt.js no state for it. */
function encode(topic, payload) {
  return mqttPacket.generate({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false });
}

async function setup({ brokerUrl, prefix, devices, messages, chunk }) {
  const t0 = performance.now();
  const startS = Math.floor(Date.now() / 1000);
  warmupPackets = [];
  mainChunks = [];
  mainPackets = [];
  let bytes = 0;
  for (const d of devices) {
    const key = Buffer.from(d.deviceSecret, 'hex');
    const topic = `${prefix}/${d.deviceId}/status`;
    warmupPackets.push(encode(topic, heartbeat(d.deviceId, key, 1, startS)));
    const chunks = [];
    const packets = [];
    let batch = [];
    for (let seq = 2; seq <= messages + 1; seq++) {
      const payload = heartbeat(d.deviceId, key, seq, startS);
      bytes += payload.length;
      const packet = encode(topic, payload);
      packets.push(packet);
      batch.push(packet);
      if (batch.length === chunk) {
        chunks.push(Buffer.concat(batch));
        batch = [];
      }
    }
    if (batch.length > 0) chunks.push(Buffer.concat(batch));
    mainChunks.push(chunks);
    mainPackets.push(packets);
  }
  const signMs = performance.now() - t0;
  // Connect in waves so a broker is not met by every CONNECT at the same instant.
  clients = [];
  for (let i = 0; i < devices.length; i += 25) {
    const wave = devices.slice(i, i + 25).map(
      (d) =>
        new Promise((resolve, reject) => {
          const c = connect(brokerUrl, {
            protocolVersion: 4,
            username: d.deviceId,
            password: d.mqttPassword,
            clientId: d.deviceId, // brokers bind it to the username
            clean: true,
            keepalive: 60,
            reconnectPeriod: 0,
            connectTimeout: 10_000,
          });
          c.once('connect', () => resolve(c));
          c.once('error', reject);
        }),
    );
    clients.push(...(await Promise.all(wave)));
  }
  send({ type: 'ready', signMs, bytesPerMessage: bytes / (devices.length * messages) });
}

/**
 * Offered load at `rate` msg/s in total: every 5 ms, the packets due so far are written one
 * per socket write, round-robin over the devices, as a fleet's independent locks would send.
 */
async function writePaced(rate) {
  const next = new Array(clients.length).fill(0);
  const total = mainPackets.reduce((s, p) => s + p.length, 0);
  const t0 = performance.now();
  let sent = 0;
  let device = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
    while (sent < due) {
      while (next[device] >= mainPackets[device].length) device = (device + 1) % clients.length;
      clients[device].stream.write(mainPackets[device][next[device]++]);
      sent += 1;
      device = (device + 1) % clients.length;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function writeAll(stream, buffers) {
  for (const buffer of buffers) {
    if (!stream.write(buffer)) await new Promise((resolve) => stream.once('drain', resolve));
  }
}

process.on('message', (message) => {
  void (async () => {
    try {
      if (message.type === 'setup') await setup(message);
      else if (message.type === 'warmup') {
        await Promise.all(clients.map((c, i) => writeAll(c.stream, [warmupPackets[i]])));
        send({ type: 'warmup-written' });
      } else if (message.type === 'go') {
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        if (message.rate > 0) await writePaced(message.rate);
        else await Promise.all(clients.map((c, i) => writeAll(c.stream, mainChunks[i])));
        const cpu = process.cpuUsage(cpu0);
        send({ type: 'written', ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 });
      } else if (message.type === 'stop') {
        await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
        process.exit(0);
      }
    } catch (error) {
      send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    }
  })();
});
process.on('disconnect', () => process.exit(0));
// Bounded: a publisher never outlives a stuck parent.
setTimeout(() => process.exit(2), 10 * 60_000).unref();
