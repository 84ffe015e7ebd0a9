// Child process of roundtrip-processes.mjs: the floor of a command round trip, the same hops with no
// product in them. One role per process (argv[2]):
//   broker — a bare aedes on a TCP port (TCP_NODELAY, no authentication): the embedded broker's engine
//   server — HTTP POST /graphql (or a graphql-ws `subscribe` carrying a mutation) answers
//            `{ data: { <action>: { id } } }` after publishing a command at QoS 1 (the reply waits for the PUBACK); every status on
//            `<prefix>/+/status` is parsed (the background fleet's too, as the api takes them all), and one of the
//            lock a graphql-ws subscription names is pushed to it as `lockChanged` (enough of the protocol for roundtrip-client.mjs)
//   echo   — the lock: answers each command with a status carrying the new state, QoS 1
// No signing, no store, no GraphQL execution: what is left is HTTP, MQTT, WebSocket and the process hops.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { require } from './lib.mjs';

const { connect } = require('mqtt');
const send = (message) => process.send?.(message);
const role = process.argv[2];

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

async function server({ brokerUrl, prefix }) {
  const { WebSocketServer } = require('ws');
  const mqtt = await mqttClient(brokerUrl, `raw-server-${randomUUID()}`);
  await mqtt.subscribeAsync(`${prefix}/+/status`, { qos: 1 });
  const sockets = new Map(); // socket -> Map(subscription id -> deviceId)
  mqtt.on('message', (topic, payload) => {
    const { dev, status } = JSON.parse(payload.toString('utf8'));
    for (const [socket, subscriptions] of sockets) {
      for (const [id, deviceId] of subscriptions) {
        if (deviceId === dev) socket.send(JSON.stringify({ id, type: 'next', payload: { data: { lockChanged: { deviceId: dev, status } } } }));
      }
    }
  });
  /** Publishes the command a mutation asks for; resolves to its answer once the broker acknowledged it. */
  const command = async ({ query, variables }) => {
    const action = /\b(lock|unlock)\(/.exec(query)?.[1] ?? 'lock';
    const id = randomUUID();
    const body = JSON.stringify({ dev: variables.d, id, action: action.toUpperCase() });
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

async function echo({ brokerUrl, prefix, deviceId }) {
  const mqtt = await mqttClient(brokerUrl, `raw-echo-${randomUUID()}`);
  mqtt.on('message', (_topic, payload) => {
    const { id, action } = JSON.parse(payload.toString('utf8'));
    const status = action === 'LOCK' ? 'LOCKED' : 'UNLOCKED';
    mqtt.publish(`${prefix}/${deviceId}/status`, JSON.stringify({ dev: deviceId, status, ack: { id, result: 'ok' } }), { qos: 1 });
  });
  await mqtt.subscribeAsync(`${prefix}/${deviceId}/cmd`, { qos: 1 });
  send({ type: 'ready' });
}

process.on('message', (message) => {
  if (message.type === 'stop') process.exit(0);
  if (message.type !== 'start') return;
  const start = { broker, server, echo }[role];
  start(message).catch((error) => {
    send({ type: 'error', message: error instanceof Error ? error.stack : String(error) });
    process.exit(1);
  });
});
process.on('disconnect', () => process.exit(0));
