import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../app/logger.js';
import { Topics } from '../protocol/topics.js';
import { startEmbeddedBroker, type EmbeddedBroker, type RefusalKind } from './embedded-broker.js';

const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
const topics = new Topics(`test-${randomUUID()}`);
const P = topics.prefix;
const server = { username: '$test-api', password: randomUUID() };
/** A test double for the device store: deviceId → broker password. */
const passwords = new Map([
  ['lock-a', 'pw-a'],
  ['lock-b', 'pw-b'],
  ['lock-c', 'pw-c'],
]);
const refusals: { kind: RefusalKind; deviceId: string | undefined }[] = [];
let broker: EmbeddedBroker;
const clients: MqttClient[] = [];

beforeAll(async () => {
  broker = await startEmbeddedBroker({
    host: '127.0.0.1',
    port: 0,
    topics,
    server,
    log,
    authenticator: { verifyDevicePassword: async (id, password) => passwords.get(id) === password.toString() },
    onRefused: (kind, deviceId) => refusals.push({ kind, deviceId }),
  });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
});
afterAll(() => broker.stop());

async function open(options: IClientOptions, port = broker.port): Promise<MqttClient> {
  const client = await connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...options });
  clients.push(client);
  return client;
}
const asServer = (extra: IClientOptions = {}) => open({ ...server, clientId: `api-${randomUUID()}`, ...extra });
const asDevice = (id: string, extra: IClientOptions = {}) => open({ username: id, password: passwords.get(id), clientId: id, ...extra });

/** The CONNACK return code of a refused connection. */
async function refusalCode(options: IClientOptions): Promise<unknown> {
  const error = await open(options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'connection should be refused').toBeInstanceOf(Error);
  return (error as { code?: unknown }).code;
}

/** Collects messages; `next` waits for one that matches. */
function inbox(client: MqttClient) {
  const seen: { topic: string; payload: string }[] = [];
  const waiters: { match: (m: { topic: string; payload: string }) => boolean; resolve: (m: { topic: string; payload: string }) => void }[] = [];
  client.on('message', (topic, payload) => {
    const message = { topic, payload: payload.toString() };
    seen.push(message);
    for (const w of waiters.filter((w) => w.match(message))) w.resolve(message);
  });
  return {
    seen,
    next(match: (m: { topic: string; payload: string }) => boolean, timeoutMs = 5000) {
      const found = seen.find(match);
      if (found) return Promise.resolve(found);
      return new Promise<{ topic: string; payload: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('expected message did not arrive')), timeoutMs);
        waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
}

/** The SUBACK return codes for one filter (128 = refused). */
async function granted(client: MqttClient, filter: string): Promise<number[]> {
  try {
    return (await client.subscribeAsync(filter, { qos: 1 })).map((g) => g.qos);
  } catch (error) {
    return (error as { packet: { granted: number[] } }).packet.granted;
  }
}

const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once('close', () => resolve()));

describe('embedded broker: connecting', () => {
  it('lets the api account in, and it receives lock status through P/+/status', async () => {
    const api = await asServer();
    const messages = inbox(api);
    expect(await granted(api, topics.all('status'))).toEqual([1]);
    const lock = await asDevice('lock-a');
    await lock.publishAsync(topics.of('lock-a', 'status'), 'hello', { qos: 1 });
    expect((await messages.next((m) => m.payload === 'hello')).topic).toBe(topics.of('lock-a', 'status'));
  });

  it('lets a lock in with its own password', async () => {
    expect((await asDevice('lock-a')).connected).toBe(true);
  });

  it('refuses a wrong password and an unknown device with the same answer', async () => {
    refusals.length = 0;
    expect(await refusalCode({ username: 'lock-a', password: 'pw-b', clientId: 'lock-a' })).toBe(4);
    expect(await refusalCode({ username: 'lock-zz', password: 'pw-a', clientId: 'lock-zz' })).toBe(4);
    expect(await refusalCode({ username: 'lock-a', clientId: 'lock-a' })).toBe(4);
    expect(refusals).toEqual([
      { kind: 'auth', deviceId: 'lock-a' },
      { kind: 'auth', deviceId: 'lock-zz' },
      { kind: 'auth', deviceId: 'lock-a' },
    ]);
  });

  it.each(['lock+', 'lock#', 'lock/a', '#', '+'])('refuses the username %s (CVE-2017-7650)', async (username) => {
    expect(await refusalCode({ username, password: 'pw-a', clientId: 'lock-a' })).toBe(4);
  });

  it.each(['lock-a/x', 'lock-a+', '#'])('refuses the client id %s, even with the api account', async (clientId) => {
    expect(await refusalCode({ username: 'lock-a', password: 'pw-a', clientId })).toBe(2);
    expect(await refusalCode({ ...server, clientId })).toBe(2);
  });

  it("refuses a lock that reuses another account's live client id, and the owner stays online", async () => {
    const a = await asDevice('lock-a');
    expect(await refusalCode({ username: 'lock-b', password: 'pw-b', clientId: 'lock-a' })).toBe(2);
    expect(await granted(a, topics.of('lock-a', 'cmd'))).toEqual([1]);
    expect(a.connected).toBe(true);
  });

  it('refuses a lock whose client id is not its device id (test/security/client-id-squatting.test.ts)', async () => {
    expect(await refusalCode({ username: 'lock-a', password: 'pw-a', clientId: 'shared-id' })).toBe(2);
  });
});

describe('embedded broker: subscriptions', () => {
  it('delivers to a lock the commands the api publishes on its own cmd topic', async () => {
    const lock = await asDevice('lock-a');
    const messages = inbox(lock);
    expect(await granted(lock, topics.of('lock-a', 'cmd'))).toEqual([1]);
    const api = await asServer();
    await api.publishAsync(topics.of('lock-a', 'cmd'), 'open', { qos: 1 });
    expect((await messages.next((m) => m.payload === 'open')).topic).toBe(topics.of('lock-a', 'cmd'));
  });

  it("refuses a lock's wildcard and foreign subscriptions with SUBACK 128, and it gets nothing from them", async () => {
    const lock = await asDevice('lock-a');
    const messages = inbox(lock);
    refusals.length = 0;
    for (const filter of ['#', `${P}/#`, `${P}/+/cmd`, topics.of('lock-b', 'cmd'), '$SYS/#', topics.of('lock-b', 'status'), `$share/g/${P}/+/cmd`]) {
      expect(await granted(lock, filter), filter).toEqual([128]);
    }
    expect(refusals.every((r) => r.kind === 'subscribe' && r.deviceId === 'lock-a')).toBe(true);
    expect(refusals).toHaveLength(7);
    expect(await granted(lock, topics.of('lock-a', 'cmd'))).toEqual([1]);
    const api = await asServer();
    await api.publishAsync(topics.of('lock-b', 'cmd'), 'for-b', { qos: 1 });
    await api.publishAsync(topics.of('lock-a', 'cmd'), 'for-a', { qos: 1 });
    // Delivered in publish order: once lock-a has its own command, lock-b's would have come first.
    await messages.next((m) => m.payload === 'for-a');
    expect(messages.seen.map((m) => m.payload)).toEqual(['for-a']);
  });

  it('confines the api account to the topic prefix and refuses $share filters', async () => {
    const api = await asServer();
    expect(await granted(api, '#')).toEqual([128]);
    // aedes has no shared subscriptions: a literal `$share/...` filter would silently match nothing.
    expect(await granted(api, `$share/g/${topics.all('status')}`)).toEqual([128]);
    expect(await granted(api, `${P}/#`)).toEqual([1]);
  });
});

describe('embedded broker: publishing', () => {
  it("drops a lock's publish to another lock's status and disconnects it", async () => {
    const api = await asServer();
    await api.subscribeAsync(topics.all('status'), { qos: 1 });
    const messages = inbox(api);
    const offender = await asDevice('lock-a');
    const gone = closed(offender);
    refusals.length = 0;
    offender.publish(topics.of('lock-b', 'status'), 'forged', { qos: 1 });
    await gone;
    expect(refusals).toEqual([{ kind: 'publish', deviceId: 'lock-a' }]);
    const honest = await asDevice('lock-b');
    await honest.publishAsync(topics.of('lock-b', 'status'), 'genuine', { qos: 1 });
    await messages.next((m) => m.payload === 'genuine');
    expect(messages.seen.map((m) => m.payload)).toEqual(['genuine']);
  });

  it("refuses at CONNECT a lock whose will targets another lock's topic, so it is never delivered", async () => {
    const api = await asServer();
    await api.subscribeAsync(topics.all('availability'), { qos: 1 });
    const messages = inbox(api);
    const will = { topic: topics.of('lock-b', 'availability'), payload: Buffer.from('forged-offline'), qos: 1 as const, retain: true };
    expect(await refusalCode({ username: 'lock-a', password: 'pw-a', clientId: 'lock-a', will })).toBe(5);
    // lock-c's own will arrives; a forged one fired on the same path would have been seen by then.
    const honest = await asDevice('lock-c', { will: { topic: topics.of('lock-c', 'availability'), payload: Buffer.from('offline'), qos: 1, retain: true } });
    honest.stream.destroy();
    await messages.next((m) => m.topic === topics.of('lock-c', 'availability'));
    expect(messages.seen).toEqual([{ topic: topics.of('lock-c', 'availability'), payload: 'offline' }]);
    await api.publishAsync(topics.of('lock-c', 'availability'), '', { qos: 1, retain: true }); // clear it for later tests
  });

  it("delivers a lock's own retained offline will to the api when its socket dies, and keeps it retained", async () => {
    const availability = topics.of('lock-b', 'availability');
    const api = await asServer();
    const messages = inbox(api);
    await api.subscribeAsync(topics.all('availability'), { qos: 1 });
    const lock = await asDevice('lock-b', { will: { topic: availability, payload: Buffer.from('offline'), qos: 1, retain: true } });
    await lock.publishAsync(availability, 'online', { qos: 1, retain: true });
    await messages.next((m) => m.payload === 'online');
    lock.stream.destroy();
    await messages.next((m) => m.payload === 'offline');
    const laterApi = await asServer();
    const later = inbox(laterApi);
    await laterApi.subscribeAsync(availability, { qos: 1 });
    expect(await later.next(() => true)).toEqual({ topic: availability, payload: 'offline' });
    await laterApi.publishAsync(availability, '', { qos: 1, retain: true }); // clear it for later tests
  });
});

describe('embedded broker: lifecycle', () => {
  it('explains a taken port, naming MQTT_URL and MQTT_PORT', async () => {
    const occupier = createServer();
    await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
    const { port } = occupier.address() as AddressInfo;
    try {
      const attempt = startEmbeddedBroker({ host: '127.0.0.1', port, topics, server, log, authenticator: { verifyDevicePassword: async () => false } });
      await expect(attempt).rejects.toThrow(new RegExp(`port ${port} .*already in use.*Mosquitto.*MQTT_URL.*MQTT_PORT`));
    } finally {
      await new Promise((resolve) => occupier.close(resolve));
    }
  });

  it('explains a taken TLS port, naming MQTT_TLS_PORT, and leaves the plain port free', async () => {
    const occupier = createServer();
    await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
    const { port: taken } = occupier.address() as AddressInfo;
    try {
      const tls = { port: taken, psk: () => undefined };
      const attempt = startEmbeddedBroker({ host: '127.0.0.1', port: 0, tls, topics, server, log, authenticator: { verifyDevicePassword: async () => false } });
      await expect(attempt).rejects.toThrow(new RegExp(`port ${taken} .*already in use.*MQTT_TLS_PORT.*off turns TLS off`));
    } finally {
      await new Promise((resolve) => occupier.close(resolve));
    }
  });

  it('closes every client on stop and frees the port', async () => {
    const own = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, topics, server, log, authenticator: { verifyDevicePassword: async () => false } });
    const api = await open({ ...server, clientId: 'api-lifecycle' }, own.port);
    const gone = closed(api);
    await own.stop();
    await gone;
    const again = await startEmbeddedBroker({ host: '127.0.0.1', port: own.port, topics, server, log, authenticator: { verifyDevicePassword: async () => false } });
    expect(again.port).toBe(own.port);
    await again.stop();
  });
});
