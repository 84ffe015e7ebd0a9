// Child process of roundtrip-processes.mjs: the floor of a command round trip, the same hops with no
// product in them. One role per process (argv[2]):
//   broker — a bare aedes on a TCP port (TCP_NODELAY, no authentication): the embedded broker's engine
//   server — HTTP POST /graphql (or a graphql-ws `subscribe` carrying a mutation) answers
//            `{ data: { <action>: { id } } }` after publishing a command at QoS 1 (the reply waits for the PUBACK); every status on
//            `<prefix>/+/status` is parsed (the background fleet's too, as the api takes them all), and one of the
//            lock a graphql-ws subscription names is pushed to it as `lockChanged` (enough of the protocol for roundtrip-client.mjs)
//   echo   — the lock: answers each command with a status carrying the new state, QoS 1
// No signing, no store, no GraphQL execution: what is left is HTTP, MQTT, WebSocket and the process hops.
//
// With `guarded` (the guarded floor), server and echo also take the steps that the product's
// guarantees put on the round trip, and nothing else: before a command is published the server reads
// the viewer's user and session line (a revoked session is refused at once), opens the command in
// the api's own SQLite store (counter, row and superseding in one commit: no unaudited command
// reaches a lock) and signs it (HMAC-SHA256); the lock checks that signature and signs its status;
// the server checks the status's signature and writes it (applyStatus, in the store's turn batch)
// before pushing it (no status is shown that the store has not taken). The store is the compiled
// api's (`api/dist`), on a file in a temp dir as the api's. No GraphQL, events, audit trail or logs.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { api, require } from './lib.mjs';

const { connect } = require('mqtt');
const send = (message) => process.send?.(message);
const role = process.argv[2];
/** What a role leaves to clean up (the guarded server's store and its temp dir). */
let beforeExit = async () => {};
const exit = () => beforeExit().finally(() => process.exit(0));

function mqttClient(url, clientId) {
  const client = connect(url, { protocolVersion: 4, clientId, clean: true, reconnectPeriod: 0 });
  client.on('connect', () => client.stream.setNoDelay?.(true));
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}

async function broker() {
  const { Aedes } = require('aedes');
  const aedes = await Aedes.createBroker({ concurrency: 2000 });
  const server = createTcpServer({ noDelay: true }, aedes.handle);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  send({ type: 'ready', url: `mqtt://127.0.0.1:${server.address().port}` });
}

/** `{ m, sig }`: the message text and its HMAC-SHA256 under `key`, hex. */
const sign = (key, message) => JSON.stringify({ m: message, sig: createHmac('sha256', key).update(message).digest('hex') });
/** The signed message's text, or undefined when its signature does not check out. */
function verified(key, { m, sig }) {
  const expected = createHmac('sha256', key).update(m).digest();
  const given = Buffer.from(String(sig), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? m : undefined;
}

/** The guarded floor's store: the api's SQLite store with one user, one session line and the lock. */
async function openGuards(deviceId) {
  const { openSqliteStore } = api('store/sqlite/sqlite-store.js');
  const dir = mkdtempSync(join(os.tmpdir(), 'smartlock-bench-guarded-'));
  const store = openSqliteStore(join(dir, 'smartlock.db'));
  const user = await store.users.create({ username: 'raw-owner', passwordHash: 'unused', role: 'USER' });
  const familyId = randomUUID();
  await store.sessions.create({ familyId, userId: user.id, tokenHash: randomUUID(), expiresAt: new Date(Date.now() + 86_400_000) });
  await store.locks.create({ deviceId, name: deviceId, owner: user.username, secretSealed: 'unused' });
  return {
    /** The viewer's rows, as the api reads them for every operation. */
    async viewerLive() {
      return (await store.users.findById(user.id)) !== null && (await store.sessions.isFamilyLive(familyId, new Date()));
    },
    open: (action) => store.commands.open({ id: randomUUID(), deviceId, action, requestedBy: user.username }, undefined, new Date()),
    applyStatus: (seq, status) => store.locks.applyStatus({ deviceId, boot: 1, seq, patch: { status, lastSeen: new Date() } }),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function server({ brokerUrl, prefix, guarded, key, deviceId: guardedLock }) {
  const { WebSocketServer } = require('ws');
  const guards = guarded ? await openGuards(guardedLock) : undefined;
  if (guards) beforeExit = () => guards.close();
  const secret = guarded ? Buffer.from(key, 'hex') : undefined;
  const mqtt = await mqttClient(brokerUrl, `raw-server-${randomUUID()}`);
  await mqtt.subscribeAsync(`${prefix}/+/status`, { qos: 1 });
  const sockets = new Map(); // socket -> Map(subscription id -> deviceId)
  const push = (dev, status) => {
    for (const [socket, subscriptions] of sockets) {
      for (const [id, deviceId] of subscriptions) {
        if (deviceId === dev) socket.send(JSON.stringify({ id, type: 'next', payload: { data: { lockChanged: { deviceId: dev, status } } } }));
      }
    }
  };
  mqtt.on('message', (topic, payload) => {
    const message = JSON.parse(payload.toString('utf8'));
    if (!guards || message.m === undefined) return push(message.dev, message.status); // raw, or the background fleet's
    const text = verified(secret, message);
    if (text === undefined) return;
    const { dev, status, seq } = JSON.parse(text);
    guards.applyStatus(seq, status).then((applied) => applied && push(dev, status), (error) => send({ type: 'error', message: String(error) }));
  });
  /** Publishes the command a mutation asks for; resolves to its answer once the broker acknowledged it. */
  const command = async ({ query, variables }) => {
    const action = /\b(lock|unlock)\(/.exec(query)?.[1] ?? 'lock';
    let id = randomUUID();
    let body = JSON.stringify({ dev: variables.d, id, action: action.toUpperCase() });
    if (guards) {
      if (!(await guards.viewerLive())) throw new Error('the viewer\'s session ended');
      const { command: opened } = await guards.open(action.toUpperCase());
      id = opened.id;
      body = sign(secret, JSON.stringify({ dev: variables.d, id, action: opened.action, ctr: opened.counter }));
    }
    await mqtt.publishAsync(`${prefix}/${variables.d}/cmd`, body, { qos: 1 });
    return { data: { [action]: { id } } };
  };
  const http = createHttpServer((request, response) => {
    const chunks = [];
    request.on('data', (c) => chunks.push(c));
    request.on('end', () => {
      command(JSON.parse(Buffer.concat(chunks).toString('utf8'))).then((answer) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(answer));
      });
    });
  });
  http.on('connection', (socket) => socket.setNoDelay(true));
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  wss.on('connection', (socket) => {
    sockets.set(socket, new Map());
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'connection_init') socket.send(JSON.stringify({ type: 'connection_ack' }));
      else if (message.type === 'subscribe' && message.payload.query.startsWith('mutation')) {
        command(message.payload).then((answer) => {
          socket.send(JSON.stringify({ id: message.id, type: 'next', payload: answer }));
          socket.send(JSON.stringify({ id: message.id, type: 'complete' }));
        });
      } else if (message.type === 'subscribe') sockets.get(socket).set(message.id, message.payload.variables?.d);
      else if (message.type === 'complete') sockets.get(socket).delete(message.id);
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  send({ type: 'ready', url: `http://127.0.0.1:${http.address().port}` });
}

async function echo({ brokerUrl, prefix, deviceId, guarded, key }) {
  const secret = guarded ? Buffer.from(key, 'hex') : undefined;
  let seq = 0;
  const mqtt = await mqttClient(brokerUrl, `raw-echo-${randomUUID()}`);
  mqtt.on('message', (_topic, payload) => {
    const received = JSON.parse(payload.toString('utf8'));
    const text = guarded ? verified(secret, received) : undefined;
    if (guarded && text === undefined) return;
    const { id, action } = guarded ? JSON.parse(text) : received;
    const status = action === 'LOCK' ? 'LOCKED' : 'UNLOCKED';
    const answer = JSON.stringify({ dev: deviceId, status, seq: ++seq, ack: { id, result: 'ok' } });
    mqtt.publish(`${prefix}/${deviceId}/status`, guarded ? sign(secret, answer) : answer, { qos: 1 });
  });
  await mqtt.subscribeAsync(`${prefix}/${deviceId}/cmd`, { qos: 1 });
  send({ type: 'ready' });
}

process.on('message', (message) => {
  if (message.type === 'stop') return void exit();
  if (message.type !== 'start') return;
  const start = { broker, server, echo }[role];
  start(message).catch((error) => {
    send({ type: 'error', message: error instanceof Error ? error.stack : String(error) });
    process.exit(1);
  });
});
process.on('disconnect', () => void exit());
