import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commandJson, timeJson, type CommandMessage, type StatusMessage } from '../devices/protocol/messages.js';
import { signPayload } from '../devices/protocol/signature.js';
import { verifyStatus } from '../devices/protocol/verify.js';
import { deriveKey } from '../devices/protocol/keys.js';
import { commandV2Json, welcomeJson } from '../devices/protocol/messages-v2.js';
import { verifyFromLockV2 } from '../devices/protocol/verify-v2.js';
import { FileCounterStore, MemoryCounterStore, type CounterStore } from './counter-store.js';
import { SimulatedLock, type SimulatedLockOptions } from './simulated-lock.js';

const BROKER = 'mqtt://127.0.0.1:1883';
const DEVICE = 'front-door';

function brokerReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port: 1883, timeout: 1000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

interface Received {
  topic: string;
  text: string;
}

/** The api's side: sees everything under the prefix and signs commands. */
class FakeServer {
  private readonly inbox: Received[] = [];
  private readonly waiters = new Set<() => void>();
  readonly key = randomBytes(32);
  private constructor(
    readonly client: MqttClient,
    readonly prefix: string,
  ) {
    client.on('message', (topic, payload) => {
      this.inbox.push({ topic, text: payload.toString('utf8') });
      for (const wake of this.waiters) wake();
    });
  }

  static async start(prefix: string): Promise<FakeServer> {
    const client = await connectClient();
    const server = new FakeServer(client, prefix);
    await client.subscribeAsync(`${prefix}/#`, { qos: 1 });
    return server;
  }

  topic(kind: 'cmd' | 'status' | 'availability', device = DEVICE): string {
    return `${this.prefix}/${device}/${kind}`;
  }

  /** Takes the first matching message, waiting for it if needed. */
  take(match: (m: Received) => boolean, timeoutMs = 5000): Promise<Received> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const index = this.inbox.findIndex(match);
        if (index < 0) return false;
        const [found] = this.inbox.splice(index, 1);
        this.waiters.delete(check);
        clearTimeout(timer);
        if (found) resolve(found);
        return true;
      };
      const timer = setTimeout(() => (this.waiters.delete(check), reject(new Error('timed out waiting for a message'))), timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  async availability(): Promise<string> {
    return (await this.take((m) => m.topic === this.topic('availability'))).text;
  }

  /** The next status, which must carry a valid signature. */
  async status(): Promise<StatusMessage> {
    const { text } = await this.take((m) => m.topic === this.topic('status'));
    const verified = verifyStatus(this.key, text, DEVICE);
    if (verified.verdict !== 'valid') throw new Error(`status verdict ${verified.verdict}: ${verified.detail}`);
    return verified.message;
  }

  /** The next status carrying an ack (heartbeats in between are skipped). */
  async ack(): Promise<StatusMessage> {
    for (;;) {
      const status = await this.status();
      if (status.ack) return status;
    }
  }

  async command(fields: Partial<CommandMessage> & Pick<CommandMessage, 'id' | 'ctr'>, key = this.key): Promise<void> {
    const cmd: CommandMessage = { v: 1, type: 'cmd', dev: DEVICE, action: 'UNLOCK', ts: Math.floor(Date.now() / 1000), ...fields };
    await this.client.publishAsync(this.topic('cmd'), signPayload(key, commandJson(cmd)), { qos: 1 });
  }

  async time(boot: number, seq: number, ts: number, key = this.key): Promise<void> {
    await this.client.publishAsync(this.topic('cmd'), signPayload(key, timeJson({ v: 1, type: 'time', dev: DEVICE, boot, seq, ts })), { qos: 1 });
  }

  secret(): string {
    return this.key.toString('hex');
  }
}

function connectClient(): Promise<MqttClient> {
  return connectAsync(BROKER, { clientId: `test-server-${randomUUID()}`, reconnectPeriod: 0 });
}

let reachable = false;
let server: FakeServer;
const locks: SimulatedLock[] = [];
const dirs: string[] = [];

function newLock(overrides: Partial<SimulatedLockOptions> = {}, state: CounterStore = new MemoryCounterStore()): SimulatedLock {
  const lock = new SimulatedLock({ brokerUrl: BROKER, deviceId: DEVICE, deviceSecret: server.secret(), topicPrefix: server.prefix, heartbeatMs: 60_000, state, ...overrides });
  locks.push(lock);
  return lock;
}

beforeAll(async () => {
  reachable = await brokerReachable();
});

beforeEach(async (ctx) => {
  if (!reachable) {
    if (process.env.CI === 'true') throw new Error(`no MQTT broker at ${BROKER}`);
    ctx.skip(`no MQTT broker at ${BROKER}`);
  }
  server = await FakeServer.start(`test-${randomUUID()}`);
});

afterEach(async () => {
  if (!reachable) return;
  // Graceful stops send DISCONNECT, so no will can land after the retained message is cleared.
  await Promise.all(locks.splice(0).map((lock) => lock.stop({ graceful: true })));
  await server.client.publishAsync(server.topic('availability'), '', { qos: 1, retain: true });
  await server.client.endAsync();
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('SimulatedLock against Mosquitto', () => {
  it('announces online, then sends signed statuses whose seq grows with each heartbeat', async () => {
    // The lock reads its clock once per status: those readings show when each heartbeat fired.
    const readings: number[] = [];
    const clock = (): number => readings[readings.push(Date.now()) - 1] ?? 0;
    const lock = newLock({ heartbeatMs: 200, battery: 80, power: 'BATTERY', clock });
    await lock.start();
    expect(await server.availability()).toBe('online');
    const first = await server.status();
    expect(first).toMatchObject({ boot: 1, seq: 1, status: 'LOCKED', ctr: 0, issue: '', fw: 'sim-1.0.0', battery: 80, power: 'BATTERY' });
    expect(Math.abs(first.ts - Date.now() / 1000)).toBeLessThan(5);
    expect((await server.status()).seq).toBe(2);
    expect((await server.status()).seq).toBe(3);
    const [, s1 = 0, s2 = 0, s3 = 0] = readings; // [start, status 1, status 2, status 3, …]
    expect(s2 - s1).toBeGreaterThanOrEqual(199); // timers never fire early (1 ms rounding aside)
    expect(s3 - s2).toBeGreaterThanOrEqual(199);
  });

  it('reports a slowly draining battery, a wandering signal, its uptime since boot and its firmware', async () => {
    // Each status reads the clock once: ten minutes pass between two of them.
    let reads = 0;
    const clock = (): number => Date.now() + 600_000 * reads++;
    const lock = newLock({ heartbeatMs: 50, battery: 50, batteryDrainMinutes: 10, rssi: -60, rssiWalk: true, firmware: 'sim-9.9.9', clock });
    await lock.start();
    const statuses = [await server.status(), await server.status(), await server.status()];
    expect(statuses.map((s) => s.battery)).toEqual([50, 49, 48]);
    expect(statuses.map((s) => s.uptime)).toEqual([600, 1200, 1800]);
    for (const s of statuses) expect(s).toMatchObject({ fw: 'sim-9.9.9' });
    for (const s of statuses) expect(Math.abs((s.rssi ?? 0) + 60)).toBeLessThanOrEqual(9);
  });

  it('executes a signed UNLOCK at once and acks it ok', async () => {
    const lock = newLock();
    await lock.start();
    await server.status();
    await server.command({ id: 'c-1', ctr: 1, action: 'UNLOCK' });
    const status = await server.ack();
    expect(status).toMatchObject({ status: 'UNLOCKED', ctr: 1, seq: 2, ack: { id: 'c-1', result: 'ok' } });
    expect(status.ack?.reason).toBeUndefined();
    expect(lock.stats).toMatchObject({ received: 1, executed: 1 });
  });

  it('rejects a replayed command without moving', async () => {
    const lock = newLock();
    await lock.start();
    await server.command({ id: 'c-1', ctr: 3, action: 'UNLOCK' });
    expect((await server.ack()).status).toBe('UNLOCKED');
    await server.command({ id: 'c-2', ctr: 3, action: 'LOCK' });
    expect(await server.ack()).toMatchObject({ status: 'UNLOCKED', ctr: 3, ack: { id: 'c-2', result: 'rejected', reason: 'replay' } });
  });

  it('rejects a command signed five minutes ago as stale and keeps its counter unused', async () => {
    const lock = newLock();
    await lock.start();
    await server.command({ id: 'old', ctr: 1, ts: Math.floor(Date.now() / 1000) - 300 });
    expect(await server.ack()).toMatchObject({ status: 'LOCKED', ctr: 0, ack: { id: 'old', result: 'rejected', reason: 'stale' } });
    expect(lock.lastCounter).toBe(0);
  });

  it('drops a forged command without a reply and without any change', async () => {
    const lock = newLock();
    await lock.start();
    const dropped = once(lock, 'command');
    await server.command({ id: 'forged', ctr: 99 }, randomBytes(32));
    expect(await dropped).toEqual([{ verdict: 'bad_signature', outcome: 'dropped' }]);
    expect({ status: lock.status, ctr: lock.lastCounter, dropped: lock.stats.dropped }).toEqual({ status: 'LOCKED', ctr: 0, dropped: 1 });
    // Messages are handled in order: the next ack is for the genuine command, not the forged one.
    await server.command({ id: 'real', ctr: 1, action: 'LOCK' });
    expect((await server.ack()).ack).toEqual({ id: 'real', result: 'ok' });
  });

  it('answers a signed command for another device, sent on its topic, as malformed', async () => {
    const lock = newLock();
    await lock.start();
    await server.command({ id: 'x-1', ctr: 1, dev: 'back-door' });
    expect(await server.ack()).toMatchObject({ status: 'LOCKED', ctr: 0, ack: { id: 'x-1', result: 'rejected', reason: 'malformed' } });
    expect(lock.stats.rejected).toBe(1);
  });

  it('counts boots in its FileCounterStore and still refuses an old command after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-counters-'));
    dirs.push(dir);
    const first = newLock({}, new FileCounterStore(dir));
    await first.start();
    await server.command({ id: 'c-5', ctr: 5 });
    expect((await server.ack()).ack?.result).toBe('ok');
    await first.stop({ graceful: true });
    expect(await server.availability()).toBe('online');
    expect(await server.availability()).toBe('offline');

    const second = newLock({}, new FileCounterStore(dir));
    await second.start();
    expect(await server.status()).toMatchObject({ boot: 2, seq: 1, ctr: 5 });
    await server.command({ id: 'c-5', ctr: 5 });
    expect((await server.ack()).ack).toEqual({ id: 'c-5', result: 'rejected', reason: 'replay' });
  });

  it('leaves a retained offline through its will when the connection dies', async () => {
    const lock = newLock();
    await lock.start();
    expect(await server.availability()).toBe('online');
    await lock.stop({ graceful: false });
    expect(await server.availability()).toBe('offline');
    const observer = await connectClient();
    try {
      const retained = new Promise<[string, Buffer, { retain: boolean }]>((resolve) => observer.once('message', (t, p, packet) => resolve([t, p, packet])));
      await observer.subscribeAsync(server.topic('availability'), { qos: 1 });
      const [, payload, packet] = await retained;
      expect({ payload: payload.toString(), retain: packet.retain }).toEqual({ payload: 'offline', retain: true });
    } finally {
      await observer.endAsync();
    }
  });

  it('reports JAMMED with an issue and acks failed when the motor jams', async () => {
    const lock = newLock({ jam: true });
    await lock.start();
    await server.command({ id: 'j-1', ctr: 1 });
    expect(await server.ack()).toMatchObject({ status: 'JAMMED', issue: 'Motor jammed', ctr: 1, ack: { id: 'j-1', result: 'failed', reason: 'jammed' } });
    expect(lock.stats.failed).toBe(1);
  });

  it('with timeFromServer, stamps ts 0 until a signed time message answers its status, then sends the server time at once', async () => {
    const lock = newLock({ timeFromServer: true });
    await lock.start();
    const first = await server.status();
    expect(first.ts).toBe(0);
    const serverTs = Math.floor(Date.now() / 1000) + 3600; // the server's word wins over the local clock
    const synced = once(lock, 'timeSynced');
    await server.time(first.boot, first.seq, serverTs);
    await synced;
    const next = await server.status();
    expect(next.seq).toBe(first.seq + 1);
    expect(next.ts - serverTs).toBeGreaterThanOrEqual(0);
    expect(next.ts - serverTs).toBeLessThanOrEqual(1);
  });

  it('ignores time messages that are forged, for another boot, for a status never sent, or replayed', async () => {
    const lock = newLock({ timeFromServer: true });
    await lock.start();
    const first = await server.status();
    const now = Math.floor(Date.now() / 1000);
    await server.time(first.boot, first.seq, now, randomBytes(32));
    await server.time(first.boot + 1, first.seq, now);
    await server.time(first.boot, first.seq + 5, now);
    const synced = once(lock, 'timeSynced');
    await server.time(first.boot, first.seq, now);
    await synced;
    await server.time(first.boot, first.seq, now - 600); // a recording of an answer already taken
    await server.command({ id: 'after', ctr: 1, action: 'UNLOCK' }); // in order: handled after all the above
    expect((await server.ack()).ack).toEqual({ id: 'after', result: 'ok' });
    expect(lock.stats.dropped).toBe(4);
  });
});

describe('SimulatedLock speaking protocol v2 (docs/protocol.md §11.3)', () => {
  const statusKey = () => deriveKey(server.key, 'status');
  const cmdKey = () => deriveKey(server.key, 'cmd');
  const nextOnStatus = async () => (await server.take((m) => m.topic === server.topic('status'))).text;
  /** The next status, past any hello still in flight when the welcome went out. */
  const nextStatus = async () => (await server.take((m) => m.topic === server.topic('status') && !m.text.includes('"type":"hello"'))).text;
  const welcome = (ver: number) =>
    server.client.publishAsync(server.topic('cmd'), signPayload(cmdKey(), welcomeJson({ v: 2, type: 'welcome', dev: DEVICE, ver, ts: Math.floor(Date.now() / 1000) })), { qos: 1 });

  it('says hello first, speaks v1 and repeats the hello until welcomed, then speaks v2 only', async () => {
    const lock = newLock({ protocol: 2, helloRetryMs: 50, door: 'CLOSED' });
    await lock.start();
    const hello = verifyFromLockV2(statusKey(), await nextOnStatus(), DEVICE, ['hello']);
    expect(hello).toMatchObject({ verdict: 'valid', message: { boot: 1, seq: 1, vers: '1,2' } });
    expect(verifyStatus(server.key, await nextOnStatus(), DEVICE)).toMatchObject({ verdict: 'valid', message: { v: 1, seq: 2 } });
    // No answer (an old server): the hello comes again, each time later, in the same seq sequence.
    expect(verifyFromLockV2(statusKey(), await nextOnStatus(), DEVICE, ['hello'])).toMatchObject({ verdict: 'valid', message: { seq: 3 } });
    expect(verifyFromLockV2(statusKey(), await nextOnStatus(), DEVICE, ['hello'])).toMatchObject({ verdict: 'valid', message: { seq: 4 } });
    expect(lock.protocolVersion).toBe(1);

    const negotiated = once(lock, 'negotiated');
    await welcome(2);
    expect(await negotiated).toEqual([2]);
    const v2Status = verifyFromLockV2(statusKey(), await nextStatus(), DEVICE, ['status']);
    expect(v2Status).toMatchObject({ verdict: 'valid', message: { v: 2, status: 'LOCKED', door: 'CLOSED', src: 'BOOT' } });

    // A v1 command (signed with K) is no longer taken; the v2 one (cmd key) is, and its status names it.
    await server.command({ id: 'v1-cmd', ctr: 1 });
    const v2Cmd = commandV2Json({ v: 2, type: 'cmd', dev: DEVICE, id: 'v2-cmd', action: 'UNLOCK', ctr: 2, ts: Math.floor(Date.now() / 1000) });
    await server.client.publishAsync(server.topic('cmd'), signPayload(cmdKey(), v2Cmd), { qos: 1 });
    const acked = verifyFromLockV2(statusKey(), await nextStatus(), DEVICE, ['status']);
    expect(acked).toMatchObject({ verdict: 'valid', message: { status: 'UNLOCKED', src: 'REMOTE', cid: 'v2-cmd', ctr: 2, ack: { id: 'v2-cmd', result: 'ok' } } });
    expect(lock.stats.dropped).toBe(1);
  });

  it('forgets the negotiated version when the connection ends, and says hello again', async () => {
    const lock = newLock({ protocol: 2, helloRetryMs: 60_000 });
    await lock.start();
    await nextOnStatus(); // hello
    await nextOnStatus(); // v1 status
    const negotiated = once(lock, 'negotiated');
    await welcome(2);
    await negotiated;
    await nextOnStatus(); // v2 status
    await lock.stop({ graceful: true });
    await lock.start();
    expect(lock.protocolVersion).toBe(1);
    expect(verifyFromLockV2(statusKey(), await nextOnStatus(), DEVICE, ['hello'])).toMatchObject({ verdict: 'valid', message: { boot: 2, seq: 1 } });
  });
});
