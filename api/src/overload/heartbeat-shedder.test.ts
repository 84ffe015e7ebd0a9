/**
 * Shedding at the api's broker link, through a real embedded broker: while
 * overloaded, heartbeats that repeat a lock's known state are dropped before the
 * ingest; changes, acks and wills still arrive, and a lock whose heartbeats are
 * all shed stays connected. Overload is injected (a flag), not provoked, so the
 * test does not depend on the machine's speed.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../app/logger.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../devices/broker/embedded-broker.js';
import type { LockLink } from '../devices/broker/lock-link.js';
import { createMqttLink } from '../devices/broker/mqtt-link.js';
import { Topics } from '../devices/protocol/topics.js';
import type { LockRecord } from '../store/records.js';
import { HeartbeatShedder, repeatsKnownState, visibleFingerprint } from './heartbeat-shedder.js';
import { sheddingLink } from './shedding-link.js';

const topics = new Topics(`test-${randomUUID()}`);
const server = { username: '$test-api', password: randomUUID() };
const DEVICE = 'lock-a';
const known: LockRecord = {
  deviceId: DEVICE,
  name: 'Front door',
  owner: 'owner',
  status: 'LOCKED',
  state: 'AVAILABLE',
  lastSeen: new Date(),
  issue: null,
  battery: 80,
  power: 'BATTERY',
  heartbeatS: null,
  rssi: -60,
  firmware: '1.0.0',
  secretSealed: 'sealed',
  commandCounter: 3,
  lastBoot: 2,
  lastTs: 0,
  lastSeq: 10,
  protocolVersion: 1,
  protocolBoot: 0,
  tlsRequired: false,
  rekeyId: null,
  secretPendingSealed: null,
  secretPreviousSealed: null,
  rekeyStartedAt: null,
  door: null,
  boltMotion: null,
  lastChangeSource: null,
  lastChangedBy: null,
  lastChangedAt: null,
  doorOpenSince: null,
  unlockedSince: null,
  alertDoorAjarMinutes: 10,
  alertUnlockedMinutes: null,
  timeZone: 'UTC',
  alerts: [],
  createdAt: new Date(),
  updatedAt: new Date(),
};
let overloaded = false;
let shedCount = 0;
const shedder = new HeartbeatShedder({ topics, known: (id) => (id === DEVICE ? known : undefined), overloaded: () => overloaded, onShed: () => (shedCount += 1) });
let broker: EmbeddedBroker;
const clients: MqttClient[] = [];
const links: LockLink[] = [];

beforeAll(async () => {
  broker = await startEmbeddedBroker({
    host: '127.0.0.1',
    port: 0,
    topics,
    server,
    log: createLogger('silent'),
    authenticator: { verifyDevicePassword: async (id, password) => id === DEVICE && password.toString() === 'pw' },
  });
});
afterEach(async () => {
  overloaded = false;
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await Promise.all(links.splice(0).map((l) => l.stop()));
});
afterAll(() => broker.stop());

async function open(options: IClientOptions): Promise<MqttClient> {
  const client = await connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...options });
  clients.push(client);
  return client;
}

/** The api's side: its real link with shedding in front, recording what reaches the ingest. */
async function apiConnection(): Promise<string[]> {
  const link = sheddingLink(createMqttLink({ url: `mqtt://127.0.0.1:${broker.port}`, ...server, clientId: `api-${randomUUID()}`, topics, log: createLogger('silent') }), shedder);
  links.push(link);
  const received: string[] = [];
  link.onMessage(({ topic, payload }) => received.push(`${topic.split('/').at(-1)}:${payload.toString()}`));
  await link.start();
  return received;
}

function status(seq: number, extra: Record<string, unknown> = {}): string {
  const body = { v: 1, type: 'status', dev: DEVICE, boot: 2, seq, status: 'LOCKED', ctr: 3, ts: seq, rssi: -61, battery: 79, power: 'BATTERY', fw: '1.0.0', ...extra };
  // The shedder never checks the signature (that is the point); any well-formed one will do here.
  return `${JSON.stringify(body).slice(0, -1)},"sig":"${'a'.repeat(64)}"}`;
}

/** MQTT 3.1.1 encoding, just enough for a client that must never send PINGREQ. */
const str = (text: string | Buffer) => {
  const bytes = Buffer.from(text);
  return Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes]);
};
function frame(header: number, body: Buffer): Buffer {
  const length: number[] = [];
  let n = body.length;
  do {
    let digit = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) digit |= 0x80;
    length.push(digit);
  } while (n > 0);
  return Buffer.concat([Buffer.from([header, ...length]), body]);
}
function connectPacket(username: string, password: string, keepaliveS: number, willTopic: string): Buffer {
  // flags: username, password, will QoS 1, will, clean session
  const flags = 0x80 | 0x40 | 0x08 | 0x04 | 0x02;
  return frame(0x10, Buffer.concat([str('MQTT'), Buffer.from([4, flags, 0, keepaliveS]), str(username), str(willTopic), str('offline'), str(username), str(password)]));
}
function publishPacket(topic: string, payload: string): Buffer {
  return frame(0x30, Buffer.concat([str(topic), Buffer.from(payload)]));
}

/** Publishes, then a marker that is never shed, and waits for the marker: everything before it has been decided. */
async function publishAll(lock: MqttClient, received: string[], payloads: string[]): Promise<void> {
  for (const p of payloads) await lock.publishAsync(topics.of(DEVICE, 'status'), p, { qos: 0 });
  const marker = status(999, { status: 'UNLOCKED', ts: Date.now() });
  await lock.publishAsync(topics.of(DEVICE, 'status'), marker, { qos: 1 });
  const deadline = Date.now() + 5000;
  while (!received.includes(`status:${marker}`)) {
    if (Date.now() > deadline) throw new Error('marker never reached the api connection');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("heartbeat shedding at the api's broker link", () => {
  it('forwards every heartbeat while the api keeps up', async () => {
    const received = await apiConnection();
    const lock = await open({ username: DEVICE, password: 'pw', clientId: DEVICE });
    await publishAll(lock, received, [status(11), status(12)]);
    expect(received.filter((m) => m.includes('"seq":1'))).toHaveLength(2);
  });

  it('drops heartbeats that repeat the known state while overloaded, and counts them', async () => {
    const received = await apiConnection();
    const lock = await open({ username: DEVICE, password: 'pw', clientId: DEVICE });
    const before = shedCount;
    overloaded = true;
    await publishAll(lock, received, [status(11), status(12), status(13)]);
    // The first one passes: the shedder has not seen this lock's previous status yet.
    expect(received.filter((m) => /"seq":1[123],/.test(m))).toEqual([`status:${status(11)}`]);
    expect(shedCount - before).toBe(2);
    expect(shedder.seenSince(DEVICE, new Date(Date.now() - 5000))).toBe(true);
  });

  it('still forwards changes, acks, raised counters, reboots and battery-band changes while overloaded', async () => {
    const received = await apiConnection();
    const lock = await open({ username: DEVICE, password: 'pw', clientId: DEVICE });
    overloaded = true;
    const changes = [
      status(21, { status: 'UNLOCKED' }),
      status(22, { ack: { id: 'c1', result: 'ok' } }),
      status(23, { ctr: 4 }),
      status(1, { boot: 3 }),
      status(24, { battery: 20 }),
      status(25, { issue: 'jammed bolt' }),
      status(26, { power: 'MAINS' }),
      status(27, { fw: '1.0.1' }),
    ];
    await publishAll(lock, received, changes);
    for (const change of changes) expect(received).toContain(`status:${change}`);
  });

  it('does not shed a change back to the accepted state while the change before it is still in flight', async () => {
    const received = await apiConnection();
    const lock = await open({ username: DEVICE, password: 'pw', clientId: DEVICE });
    overloaded = true;
    // The accepted state stays LOCKED throughout, as it does while UNLOCKED waits in the ingest.
    const sequence = [status(31), status(32, { status: 'UNLOCKED' }), status(33), status(34)];
    await publishAll(lock, received, sequence);
    expect(received).toContain(`status:${sequence[1]}`);
    expect(received).toContain(`status:${sequence[2]}`); // LOCKED again: news, though it matches the accepted state
    expect(received).not.toContain(`status:${sequence[3]}`); // repeats both
  });

  it('still forwards a lock\'s will while overloaded', async () => {
    const received = await apiConnection();
    overloaded = true;
    const lock = await open({ username: DEVICE, password: 'pw', clientId: DEVICE, will: { topic: topics.of(DEVICE, 'availability'), payload: Buffer.from('offline'), qos: 1, retain: false } });
    lock.stream.destroy(); // an unclean end fires the will
    const deadline = Date.now() + 5000;
    while (!received.includes('availability:offline')) {
      if (Date.now() > deadline) throw new Error('the will never reached the api connection');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });

  it('keeps a lock connected whose every heartbeat is shed (they still count for its keepalive)', async () => {
    const received = await apiConnection();
    overloaded = true;
    // A bare MQTT client with keepalive 1 s that never sends PINGREQ: the broker ends its session
    // (and publishes its will) after 1.5 s without a packet it counts, so only the heartbeats the
    // api sheds can keep it alive: shedding must never look like silence to the broker.
    const socket = createConnection({ host: '127.0.0.1', port: broker.port });
    await once(socket, 'connect');
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    socket.write(connectPacket(DEVICE, 'pw', 1, topics.of(DEVICE, 'availability')));
    await once(socket, 'data'); // CONNACK
    const before = shedCount;
    for (let seq = 100; seq < 110; seq += 1) {
      socket.write(publishPacket(topics.of(DEVICE, 'status'), status(seq)));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(shedCount - before).toBeGreaterThanOrEqual(9); // all but perhaps the first (the shedder may know this lock from the test before)
    expect(closed).toBe(false);
    expect(received).not.toContain('availability:offline');
    socket.destroy();
  });
});

describe('which statuses repeat the known state (protocol v2)', () => {
  const v2Row: LockRecord = { ...known, protocolVersion: 2, door: 'CLOSED', lastChangeSource: 'REMOTE', lastChangedBy: 'c-9' };
  const v2Heartbeat = { v: 2, type: 'status', dev: DEVICE, boot: 2, seq: 11, status: 'LOCKED', door: 'CLOSED', src: 'REMOTE', cid: 'c-9', ctr: 3, ts: 1, rssi: -60, battery: 80, power: 'BATTERY', fw: '1.0.0' };

  it('repeats only with the same door, source and command id, from a lock stored as v2', () => {
    expect(repeatsKnownState(v2Row, v2Heartbeat)).toBe(true);
    expect(repeatsKnownState(v2Row, { ...v2Heartbeat, door: 'OPEN' })).toBe(false);
    expect(repeatsKnownState(v2Row, { ...v2Heartbeat, src: 'MANUAL', cid: undefined })).toBe(false);
    expect(repeatsKnownState(v2Row, { ...v2Heartbeat, cid: 'c-10' })).toBe(false);
    expect(repeatsKnownState({ ...v2Row, boltMotion: 'UNLOCKING' }, v2Heartbeat)).toBe(false);
    expect(repeatsKnownState({ ...v2Row, protocolVersion: 1 }, v2Heartbeat)).toBe(false);
    const { door: _door, src: _src, cid: _cid, ...v1Heartbeat } = { ...v2Heartbeat, v: 1 };
    expect(repeatsKnownState(v2Row, v1Heartbeat)).toBe(false); // a v2 lock not welcomed yet: let it through
    expect(repeatsKnownState(known, v1Heartbeat)).toBe(true);
  });

  it('fingerprints the door and the source, so a door change is never taken for a repeat', () => {
    expect(visibleFingerprint(v2Heartbeat)).not.toBe(visibleFingerprint({ ...v2Heartbeat, door: 'OPEN' }));
    expect(visibleFingerprint(v2Heartbeat)).not.toBe(visibleFingerprint({ ...v2Heartbeat, v: 1 }));
  });
});
