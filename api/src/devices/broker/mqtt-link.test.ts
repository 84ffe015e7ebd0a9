import { randomUUID } from 'node:crypto';
import { connect as tcpConnect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type TestContext } from 'vitest';
import { createLogger } from '../../app/logger.js';
import { Topics } from '../protocol/topics.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';
import type { LockLink, LockMessage } from './lock-link.js';
import { createMqttLink, linkSubscriptions, optionalLinkSubscriptions, reconnectDelay, type MqttLinkOptions } from './mqtt-link.js';

const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
const MOSQUITTO = { host: '127.0.0.1', port: 1883 };
const fastBackoff = { initialMs: 50, maxMs: 400 };
const server = { username: '$test-api', password: randomUUID() };
const devicePassword = 'pw-device';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function link(url: string, topics: Topics, extra: Partial<MqttLinkOptions> = {}): LockLink & { messages: LockMessage[] } {
  const messages: LockMessage[] = [];
  const created = createMqttLink({ url, ...server, topics, log, backoff: fastBackoff, startTimeoutMs: 5000, ...extra });
  created.onMessage((message) => messages.push(message));
  cleanups.push(() => created.stop());
  return Object.assign(created, { messages });
}

async function device(url: string, id: string, extra: IClientOptions = {}): Promise<MqttClient> {
  const client = await connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, username: id, password: devicePassword, clientId: id, ...extra });
  cleanups.push(() => client.endAsync(true));
  return client;
}

const payloads = (l: { messages: LockMessage[] }) => l.messages.map((m) => m.payload.toString());
const arrived = (l: { messages: LockMessage[] }, payload: string) => vi.waitFor(() => expect(payloads(l)).toContain(payload), { timeout: 5000 });

/** A TCP relay in front of Mosquitto, whose stop/start stands in for a broker restart. */
async function relay(target: { host: string; port: number }, port = 0): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const listener: Server = createServer((inbound) => {
    const outbound = tcpConnect(target.port, target.host);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => (inbound.destroy(), outbound.destroy()));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
  return {
    port: (listener.address() as AddressInfo).port,
    stop: () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), listener.close(() => resolve()))),
  };
}

interface Target {
  name: string;
  topics: Topics;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** Skips the test when the broker is not there (fails instead on CI). */
  requireBroker(ctx: TestContext): void;
  /** The link's URL, which `restart` interrupts, and the devices' URL. */
  linkUrl(): string;
  deviceUrl(): string;
  restart(): Promise<void>;
}

const embeddedOptions = (topics: Topics, port = 0) => ({
  host: '127.0.0.1',
  port,
  topics,
  server,
  log,
  authenticator: { verifyDevicePassword: async (_id: string, pw: Buffer) => pw.toString() === devicePassword },
});

function embeddedTarget(): Target {
  const topics = new Topics(`test-${randomUUID()}`);
  let broker: EmbeddedBroker;
  const url = () => `mqtt://127.0.0.1:${broker.port}`;
  return {
    name: 'the embedded broker',
    topics,
    setUp: async () => void (broker = await startEmbeddedBroker(embeddedOptions(topics))),
    tearDown: () => broker.stop(),
    requireBroker: () => undefined,
    linkUrl: url,
    deviceUrl: url,
    async restart() {
      await broker.stop();
      broker = await startEmbeddedBroker(embeddedOptions(topics, broker.port));
    },
  };
}

async function mosquittoReachable(): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const probe = tcpConnect(MOSQUITTO.port, MOSQUITTO.host, () => (probe.destroy(), resolve(true)));
    probe.setTimeout(1000, () => (probe.destroy(), resolve(false)));
    probe.on('error', () => resolve(false));
  });
}

function requireMosquitto(reachable: boolean, ctx: TestContext): void {
  if (reachable) return;
  if (process.env.CI === 'true') throw new Error('Mosquitto is not reachable at 127.0.0.1:1883 (required on CI)');
  ctx.skip('Mosquitto is not reachable at 127.0.0.1:1883');
}

function mosquittoTarget(): Target {
  let reachable = false;
  let proxy: Awaited<ReturnType<typeof relay>> | undefined;
  return {
    name: 'Mosquitto at 127.0.0.1:1883 (through a relay)',
    topics: new Topics(`test-${randomUUID()}`),
    async setUp() {
      reachable = await mosquittoReachable();
      if (reachable) proxy = await relay(MOSQUITTO);
    },
    tearDown: async () => proxy?.stop(),
    requireBroker: (ctx) => requireMosquitto(reachable, ctx),
    linkUrl: () => `mqtt://127.0.0.1:${proxy?.port}`,
    deviceUrl: () => `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`,
    async restart() {
      const port = proxy?.port;
      await proxy?.stop();
      proxy = await relay(MOSQUITTO, port);
    },
  };
}

describe.each([embeddedTarget(), mosquittoTarget()])('MQTT link against $name', (target) => {
  const { topics } = target;
  beforeAll(() => target.setUp());
  afterAll(() => target.tearDown());

  it('receives status and availability messages from a lock', async (ctx) => {
    target.requireBroker(ctx);
    const api = link(target.linkUrl(), topics);
    await api.start();
    expect(api.isConnected()).toBe(true);
    const lock = await device(target.deviceUrl(), 'lock-rx');
    await lock.publishAsync(topics.of('lock-rx', 'status'), 'status-1', { qos: 1 });
    await lock.publishAsync(topics.of('lock-rx', 'availability'), 'online', { qos: 1 });
    await arrived(api, 'online');
    expect(api.messages.map((m) => [m.topic, m.payload.toString(), m.retain])).toEqual([
      [topics.of('lock-rx', 'status'), 'status-1', false],
      [topics.of('lock-rx', 'availability'), 'online', false],
    ]);
  });

  it('publishes a command that resolves on PUBACK and reaches the lock', async (ctx) => {
    target.requireBroker(ctx);
    const api = link(target.linkUrl(), topics);
    await api.start();
    const lock = await device(target.deviceUrl(), 'lock-cmd');
    await lock.subscribeAsync(topics.of('lock-cmd', 'cmd'), { qos: 1 });
    const received = new Promise<string>((resolve) => lock.once('message', (_t, payload) => resolve(payload.toString())));
    await api.publish(topics.of('lock-cmd', 'cmd'), 'unlock', { qos: 1 });
    expect(await received).toBe('unlock');
  });

  it('reconnects and resubscribes after the broker restarts', async (ctx) => {
    target.requireBroker(ctx);
    const api = link(target.linkUrl(), topics);
    await api.start();
    await target.restart();
    const lock = await device(target.deviceUrl(), 'lock-again');
    // The link notices the restart asynchronously, so keep sending until one status gets
    // through: any arrival proves a new session with a new subscription (clean session).
    let sent = 0;
    await vi.waitFor(
      async () => {
        await lock.publishAsync(topics.of('lock-again', 'status'), `after-restart-${++sent}`, { qos: 1 });
        expect(payloads(api).some((p) => p.startsWith('after-restart-'))).toBe(true);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(api.isConnected()).toBe(true);
  });
});

describe('MQTT link with a shared subscription on Mosquitto', () => {
  const topics = new Topics(`test-${randomUUID()}`);
  const url = `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`;
  const sharedGroup = `g-${randomUUID()}`;
  let reachable = false;
  beforeAll(async () => void (reachable = await mosquittoReachable()));

  it('splits status between replicas, yet each one gets the retained availability', async (ctx) => {
    requireMosquitto(reachable, ctx);
    const [first, second] = [link(url, topics, { sharedGroup }), link(url, topics, { sharedGroup })];
    await Promise.all([first.start(), second.start()]);
    const lock = await device(url, `lock-${randomUUID()}`);
    for (let i = 0; i < 100; i++) await lock.publishAsync(topics.of('lock-s', 'status'), `s${i}`, { qos: 1 });
    await vi.waitFor(() => expect(first.messages.length + second.messages.length).toBe(100), { timeout: 10_000 });
    expect(first.messages.length).toBeGreaterThan(0);
    expect(second.messages.length).toBeGreaterThan(0);
    expect(new Set([...payloads(first), ...payloads(second)]).size).toBe(100);

    const availability = topics.of('lock-s', 'availability');
    await lock.publishAsync(availability, 'online', { qos: 1, retain: true });
    cleanups.push(() => lock.publishAsync(availability, '', { qos: 1, retain: true })); // runs before the lock disconnects
    const late = link(url, topics, { sharedGroup });
    await late.start();
    await vi.waitFor(() => expect(late.messages).toHaveLength(1));
    expect(late.messages[0]).toMatchObject({ topic: availability, retain: true });
  });
});

describe('MQTT link start-up and back-off', () => {
  it('rejects start() naming MQTT_URL when no broker answers in time', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const api = link(`mqtt://user:secret@127.0.0.1:${closedPort}`, new Topics('t'), { startTimeoutMs: 300 });
    const failure = await api.start().then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(new RegExp(`^Could not connect to the MQTT broker at mqtt://127.0.0.1:${closedPort} \\(MQTT_URL\\) within 0.3 s: .*ECONNREFUSED`));
    expect(api.isConnected()).toBe(false);
  });

  it('rejects start() at once when the broker refuses the account, and publish() refuses while disconnected', async () => {
    const topics = new Topics(`test-${randomUUID()}`);
    const broker = await startEmbeddedBroker(embeddedOptions(topics));
    cleanups.push(() => broker.stop());
    const api = link(`mqtt://127.0.0.1:${broker.port}`, topics, { password: 'wrong', startTimeoutMs: 10_000 });
    await expect(api.start()).rejects.toThrow(/refused the api.*MQTT_USERNAME\/MQTT_PASSWORD/);
    await expect(api.publish(topics.of('lock-x', 'cmd'), 'x', { qos: 1 })).rejects.toThrow(/not connected/);
  });

  it('doubles the reconnect delay up to the cap, with jitter, never 0', () => {
    const backoff = { initialMs: 1000, maxMs: 30_000 };
    expect([0, 1, 2, 5, 6, 40].map((n) => reconnectDelay(n, backoff, () => 1))).toEqual([1000, 2000, 4000, 30_000, 30_000, 30_000]);
    expect([0, 1, 6].map((n) => reconnectDelay(n, backoff, () => 0))).toEqual([500, 1000, 15_000]);
    expect(reconnectDelay(0, { initialMs: 1, maxMs: 1 }, () => 0)).toBe(1);
  });

  it('asks for unclaimed locks\' hellos apart, unshared, so a broker that refuses them leaves the api running', () => {
    expect(Object.keys(optionalLinkSubscriptions(new Topics('p')))).toEqual(['p/claim/+/hello']);
  });

  it('shares only the status subscription', () => {
    expect(Object.keys(linkSubscriptions(new Topics('p'), 'g'))).toEqual(['$share/g/p/+/status', 'p/+/availability']);
    expect(Object.keys(linkSubscriptions(new Topics('p')))).toEqual(['p/+/status', 'p/+/availability']);
  });
});
