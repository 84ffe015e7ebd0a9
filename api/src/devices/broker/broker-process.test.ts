/**
 * The embedded broker in its own process: logins decided by the api across the IPC channel, keys
 * handed over, sessions ended on request, a dead broker started again where it was, and a broker
 * that never outlives its api.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../app/logger.js';
import { busyWithoutYielding } from '../../test-support/busy-without-yielding.js';
import { freePort } from '../../test-support/free-port.js';
import { pskClientOptions } from '../../test-support/tls-psk.js';
import { startBrokerProcess, type BrokerProcess, type BrokerProcessOptions } from './broker-process.js';
import type { RefusalKind } from './embedded-broker.js';

const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
const prefix = `test-${randomUUID()}`;
const server = { username: '$test-api', password: randomUUID() };
const passwords = new Map([
  ['lock-a', 'pw-a'],
  ['lock-b', 'pw-b'],
]);
const pskA = randomBytes(32);
let storeFails = false;
const plainRefusedFor = new Set<string>();
const refusals: { kind: RefusalKind; deviceId: string | undefined }[] = [];
const claims: string[] = [];

const options: BrokerProcessOptions = {
  host: '127.0.0.1',
  port: 0,
  tlsPort: 0,
  topicPrefix: prefix,
  server,
  logLevel: 'silent',
  log,
  authenticator: {
    verifyDevicePassword: async (id, password) => {
      if (storeFails) throw new Error('store down');
      return passwords.get(id) === password.toString();
    },
  },
  transport: { admit: async (deviceId, overTls) => overTls || !plainRefusedFor.has(deviceId) },
  onRefused: (kind, deviceId) => refusals.push({ kind, deviceId }),
  onClientIdClaimed: (claimed, by) => claims.push(`${by}->${claimed}`),
};

let broker: BrokerProcess;
const clients: MqttClient[] = [];

beforeAll(async () => {
  broker = await startBrokerProcess(options);
});
afterEach(async () => {
  storeFails = false;
  plainRefusedFor.clear();
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
});
afterAll(() => broker.stop());

async function open(extra: IClientOptions, url = `mqtt://127.0.0.1:${broker.port}`): Promise<MqttClient> {
  const client = await connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...extra });
  clients.push(client);
  return client;
}
const asLock = (id: string, extra: IClientOptions = {}) => open({ username: id, password: passwords.get(id), clientId: id, ...extra });

async function refusalCode(extra: IClientOptions): Promise<unknown> {
  const error = await open(extra).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'connection should be refused').toBeInstanceOf(Error);
  return (error as { code?: unknown }).code;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the embedded broker in its own process', () => {
  it('runs apart from the api', () => {
    expect(broker.pid).toBeTypeOf('number');
    expect(broker.pid).not.toBe(process.pid);
  });

  it('admits a lock whose password the api accepts, and refuses others with the api told', async () => {
    await asLock('lock-a');
    const before = refusals.length;
    expect(await refusalCode({ username: 'lock-b', password: 'wrong', clientId: 'lock-b' })).toBe(4);
    await waitFor(() => refusals.length > before, 'the refusal to reach the api');
    expect(refusals.at(-1)).toEqual({ kind: 'auth', deviceId: 'lock-b' });
  });

  it('answers "server unavailable" when the api cannot check a password', async () => {
    storeFails = true;
    expect(await refusalCode({ username: 'lock-a', password: 'pw-a', clientId: 'lock-a' })).toBe(3);
  });

  it('asks the api about the transport: a lock that must use TLS is refused on the plain port', async () => {
    plainRefusedFor.add('lock-a');
    expect(await refusalCode({ username: 'lock-a', password: 'pw-a', clientId: 'lock-a' })).toBe(5);
  });

  it("tells the api about a lock using another lock's id as its client id", async () => {
    expect(await refusalCode({ username: 'lock-a', password: 'pw-a', clientId: 'lock-b' })).toBe(2);
    await waitFor(() => claims.includes('lock-a->lock-b'), 'the claim report');
  });

  it('uses the TLS keys the api hands over, and forgets a deleted one', async () => {
    const tlsUrl = `mqtts://127.0.0.1:${broker.tlsPort}`;
    broker.setPsk('lock-a', pskA);
    await open({ username: 'lock-a', password: 'pw-a', clientId: 'lock-a', ...pskClientOptions('lock-a', pskA) }, tlsUrl);
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    broker.deletePsk('lock-a');
    await expect(open({ username: 'lock-a', password: 'pw-a', clientId: 'lock-a', ...pskClientOptions('lock-a', pskA) }, tlsUrl)).rejects.toThrow();
  });

  it("ends a lock's sessions when asked, and says how many", async () => {
    const lock = await asLock('lock-b');
    const closed = new Promise<void>((resolve) => lock.once('close', () => resolve()));
    expect(await broker.disconnectDevice('lock-b')).toBe(1);
    await closed;
    expect(await broker.disconnectDevice('lock-b')).toBe(0);
  });

  it('ignores SIGINT and SIGTERM sent to the process group (the api stops it in order)', async () => {
    const pid = broker.pid ?? 0;
    process.kill(pid, 'SIGINT');
    process.kill(pid, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alive(pid)).toBe(true);
    await asLock('lock-a');
  });

  it('is started again on the same ports, with the same keys, when it dies', async () => {
    broker.setPsk('lock-a', pskA);
    const dead = broker.pid ?? 0;
    process.kill(dead, 'SIGKILL');
    await waitFor(() => broker.pid !== undefined && broker.pid !== dead, 'a new broker process');
    await waitFor(
      () => asLock('lock-a').then(() => true, () => false),
      'the broker to listen again on its port',
    );
    await open({ username: 'lock-a', password: 'pw-a', clientId: 'lock-a-tls', ...pskClientOptions('lock-a', pskA) }, `mqtts://127.0.0.1:${broker.tlsPort}`).then(
      () => expect.unreachable('client id must be the device id'),
      (error: { code?: unknown }) => expect(error.code).toBe(2), // the TLS handshake passed: the key was kept
    );
  });
});

describe('starting and stopping', () => {
  it("fails with the broker's own message when its port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(startBrokerProcess({ ...options, port, tlsPort: undefined })).rejects.toThrow(/already in use.*MQTT_PORT/);
    } finally {
      taken.close();
    }
  });

  it('counts a broker that listened in time as started, even when the api stalled past the time allowed', async () => {
    const port = await freePort();
    const startTimeoutMs = 500;
    const startedAt = Date.now();
    const starting = startBrokerProcess({ ...options, port, tlsPort: undefined, startTimeoutMs });
    // The api busy until the broker listens and the time allowed has passed: its 'listening' message
    // and the timeout are both due when this thread is free again.
    const accepts = () => spawnSync('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`]).status === 0;
    while (!accepts() && Date.now() - startedAt < 30_000) {
      /* a synchronous stall */
    }
    // Time for its 'listening' message, sent just after it listens, to be on its way.
    await busyWithoutYielding(Math.max(200, startedAt + startTimeoutMs + 200 - Date.now()));
    const own = await starting;
    await own.stop();
  });

  it('stop() ends the process', async () => {
    const own = await startBrokerProcess({ ...options, tlsPort: undefined });
    const pid = own.pid ?? 0;
    await own.stop();
    expect(alive(pid)).toBe(false);
  });

  it('ends by itself when the api is gone (killed without a chance to stop it)', async () => {
    // A stand-in api: starts a broker process, prints its pid, then waits to be killed.
    const script = `
      const { startBrokerProcess } = require(${JSON.stringify(join(__dirname, 'broker-process.ts'))});
      const { createLogger } = require(${JSON.stringify(join(__dirname, '../../app/logger.ts'))});
      startBrokerProcess({ host: '127.0.0.1', port: 0, tlsPort: undefined, topicPrefix: 'orphan', server: { username: '$a', password: 'b' },
        logLevel: 'silent', log: createLogger('silent'), authenticator: { verifyDevicePassword: async () => false } })
        .then((broker) => console.log(broker.pid));
      setInterval(() => {}, 1000);`;
    const api = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve, reject) => {
      api.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      api.once('exit', (code) => reject(new Error(`the stand-in api exited (${code})`)));
    });
    expect(alive(pid)).toBe(true);
    api.kill('SIGKILL');
    await waitFor(() => !alive(pid), 'the orphaned broker to end');
    // Reaped by init, not a zombie: `ps` no longer lists it.
    const { stdout } = await promisify(execFile)('ps', ['-o', 'pid=', '-p', String(pid)]).catch(() => ({ stdout: '' }));
    expect(stdout.trim()).toBe('');
  });
});
