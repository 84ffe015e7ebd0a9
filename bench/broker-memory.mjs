/**
 * Memory per MQTT connection: aedes (as the embedded broker uses it) against a bare `net` server
 * holding the same sockets, each in a child process of its own (`--expose-gc`, measured after
 * forced collections), with N clients in another child sending what a lock sends on connecting
 * (CONNECT with a will, SUBSCRIBE to its cmd topic, one QoS 1 status).
 *
 *   node bench/broker-memory.mjs [--connections 10000] [--v8-flags "--max-semi-space-size=2"]
 */
import { fork } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { printMachine, printTable, require, sleep } from './lib.mjs';

const SELF = fileURLToPath(import.meta.url);
const role = process.env.BROKER_MEMORY_ROLE;

function memory() {
  global.gc?.();
  global.gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss / 1e6, heapUsed: m.heapUsed / 1e6 };
}

if (role === 'server') {
  let server;
  if (process.argv[2] === 'aedes') {
    const { Aedes } = require('aedes');
    const broker = await Aedes.createBroker({ concurrency: 2000 });
    server = createServer(broker.handle);
  } else {
    // Holds each socket, answers its CONNECT with a CONNACK, reads and drops the rest.
    server = createServer((socket) => {
      socket.once('data', () => socket.write(Buffer.from([0x20, 2, 0, 0])));
      socket.on('data', () => {});
      socket.on('error', () => {});
    });
  }
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port, memory: memory() }));
  process.on('message', () => process.send({ memory: memory() }));
} else if (role === 'clients') {
  const mqttPacket = require('mqtt-packet');
  const [port, count] = process.argv.slice(2).map(Number);
  let answered = 0;
  let errors = 0;
  const sockets = [];
  for (let i = 0; i < count; i++) {
    const socket = createConnection(port, '127.0.0.1');
    sockets.push(socket);
    socket.on('connect', () => {
      const id = `lock-${i}`;
      socket.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: id, keepalive: 600, will: { topic: `t/${id}/availability`, payload: Buffer.from('offline'), qos: 1, retain: true } }));
      socket.write(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: `t/${id}/cmd`, qos: 1 }] }));
      socket.write(mqttPacket.generate({ cmd: 'publish', topic: `t/${id}/status`, payload: Buffer.from('{"v":1}'.padEnd(250)), qos: 1, messageId: 2 }));
    });
    socket.once('data', () => {
      if (++answered === count) process.send({ ready: true, errors });
    });
    socket.on('error', () => errors++);
    // Paced: a burst of thousands overflows the listen backlog, and the client has no retry.
    if (i % 200 === 199) await sleep(100);
  }
} else {
  const { values } = parseArgs({ options: { connections: { type: 'string', default: '10000' }, 'v8-flags': { type: 'string', default: '' } } });
  const count = Number(values.connections);
  const v8Flags = values['v8-flags'].split(' ').filter(Boolean);
  printMachine('Broker memory per connection');
  console.log(`${count.toLocaleString('en-US')} connections${v8Flags.length ? `, server flags ${v8Flags.join(' ')}` : ''}\n`);

  const rows = [];
  for (const mode of ['net', 'aedes']) {
    const server = fork(SELF, [mode], { env: { ...process.env, BROKER_MEMORY_ROLE: 'server' }, execArgv: ['--expose-gc', ...v8Flags] });
    const next = () => new Promise((resolve) => server.once('message', resolve));
    const idle = await next();
    const clients = fork(SELF, [String(idle.port), String(count)], { env: { ...process.env, BROKER_MEMORY_ROLE: 'clients' } });
    const ready = await new Promise((resolve) => clients.once('message', resolve));
    await sleep(2000);
    server.send('measure');
    const loaded = await next();
    clients.kill();
    server.kill();
    const rss = ((loaded.memory.rss - idle.memory.rss) * 1000) / count;
    const heap = ((loaded.memory.heapUsed - idle.memory.heapUsed) * 1000) / count;
    rows.push({ mode, rss, heap, total: loaded.memory.rss, errors: ready.errors });
  }
  const net = rows[0];
  printTable([
    ['server', 'RSS per connection', 'JS heap per connection', 'RSS ratio to baseline', 'process RSS', 'client errors'],
    ...rows.map((r) => [r.mode === 'net' ? 'bare net server (baseline)' : 'aedes', `${r.rss.toFixed(1)} KB`, `${r.heap.toFixed(1)} KB`, `${(r.rss / net.rss).toFixed(1)}x`, `${r.total.toFixed(0)} MB`, r.errors]),
  ]);
}
