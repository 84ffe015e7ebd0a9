/**
 * The shipped Mosquitto config (deploy/mosquitto/mosquitto.conf, started by start-mosquitto.sh as in
 * docker-compose) with its TLS listener, on free ports: a lock that pins the issuing root is served
 * end to end over mqtts:// (the api stays on plain MQTT, as on the compose network), and a lock
 * refuses a broker whose certificate comes from another root, has expired or names another host.
 * The certificates are a throwaway PKI made with openssl: root -> intermediate -> server, served as
 * a full chain, as Let's Encrypt does (ISRG Root X1 -> R1x -> the broker's name).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tlsConnect, type ConnectionOptions, type SecureVersion } from 'node:tls';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { verifyCommand } from '../src/devices/protocol/verify.js';
import { dynsecUnavailable, startDynsecMosquitto, type DynsecMosquitto } from '../src/test-support/dynsec-mosquitto.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, UNLOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { registerLock, startLock, type Registered } from '../src/test-support/locks.js';
import { publishStatus, signedStatus } from '../src/test-support/raw-lock.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const prefix = `test-${randomUUID()}`;

/** Why this machine cannot run these tests (Mosquitto with dynsec, and the openssl CLI), or null. */
function tlsUnavailable(): string | null {
  const reason = dynsecUnavailable();
  if (reason) return reason;
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'the openssl command is not installed';
  }
}

/** Skips outside CI with the reason; fails in CI, where both must be installed. */
function requireTlsBroker(ctx: TestContext): void {
  const reason = tlsUnavailable();
  if (reason === null) return;
  if (process.env.CI === 'true') throw new Error(`${reason} (required on CI)`);
  ctx.skip(reason);
}
const HOOK = resolve(__dirname, '../../deploy/mosquitto/certbot-deploy-hook.sh');

/** A throwaway PKI in `dir`: two unrelated roots, and server certificates from the first one's intermediate. */
function makePki(dir: string) {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const file = (name: string) => join(dir, name);
  const write = (name: string, text: string) => (writeFileSync(file(name), text), file(name));
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const root = (name: string) => openssl('req', '-x509', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/CN=Smartlock test ${name}`);
  root('root');
  root('other-root');

  const caExt = write('ca.ext', 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n');
  openssl('req', ...ecKey, '-keyout', 'intermediate.key', '-out', 'intermediate.csr', '-subj', '/CN=Smartlock test intermediate');
  openssl('x509', '-req', '-in', 'intermediate.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'intermediate.pem', '-days', '30', '-extfile', caExt);

  /** A server certificate for `names` from the intermediate, its key, and the full chain as the broker serves it. */
  const server = (name: string, names: string, dates: { days: number } | { start: string; end: string }) => {
    const ext = write(`${name}.ext`, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${names}\n`);
    openssl('req', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    if ('days' in dates) {
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'intermediate.pem', '-CAkey', 'intermediate.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', String(dates.days), '-extfile', ext);
    } else {
      // openssl 3.0's x509 cannot back-date (-not_before came in 3.4); `openssl ca` can.
      write('index.txt', '');
      write('serial', '1000\n');
      const conf = write('ca.cnf', '[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n');
      openssl('ca', '-batch', '-config', conf, '-cert', 'intermediate.pem', '-keyfile', 'intermediate.key', '-in', `${name}.csr`, '-out', `${name}.pem`, '-startdate', dates.start, '-enddate', dates.end, '-extfile', ext, '-notext');
    }
    const chain = write(`${name}-fullchain.pem`, readFileSync(file(`${name}.pem`), 'utf8') + readFileSync(file('intermediate.pem'), 'utf8'));
    return { chain, key: file(`${name}.key`) };
  };
  return {
    root: readFileSync(file('root.pem')),
    otherRoot: readFileSync(file('other-root.pem')),
    good: server('good', 'DNS:localhost,IP:127.0.0.1', { days: 30 }),
    renewed: server('renewed', 'DNS:localhost,IP:127.0.0.1', { days: 90 }),
    expired: server('expired', 'DNS:localhost,IP:127.0.0.1', { start: '20200101000000Z', end: '20200401000000Z' }),
    otherHost: server('other-host', 'DNS:broker.example.net', { days: 30 }),
  };
}
type Pki = ReturnType<typeof makePki>;

/** Puts a certificate where the config expects the mounted files (readable by the broker, which drops root). */
function mount(certDir: string, served: { chain: string; key: string }): void {
  copyFileSync(served.chain, join(certDir, 'fullchain.pem'));
  copyFileSync(served.key, join(certDir, 'privkey.pem'));
  chmodSync(join(certDir, 'privkey.pem'), 0o644);
}

let dir = '';
let pki: Pki;
let certDir = '';
let broker: DynsecMosquitto | undefined;
let app: TestApp | undefined;
let owner: AuthResult;

beforeAll(async () => {
  if (tlsUnavailable()) return;
  dir = mkdtempSync(join(tmpdir(), 'smartlock-tls-'));
  chmodSync(dir, 0o755);
  pki = makePki(dir);
  certDir = join(dir, 'certs');
  mkdirSync(certDir, { mode: 0o755 });
  mount(certDir, pki.good);
  broker = await startDynsecMosquitto(prefix, { deployConfig: { certDir } });
  app = await startTestApp(broker.apiEnv);
  owner = await signUp(app.httpUrl, 'tls-owner');
}, 30_000);
afterAll(async () => {
  await app?.close();
  await broker?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function started(): { app: TestApp; broker: DynsecMosquitto; tlsUrl: string } {
  if (!app || !broker?.tlsPort) throw new Error('not started');
  return { app, broker, tlsUrl: `mqtts://127.0.0.1:${broker.tlsPort}` };
}

const asLock = (url: string, lock: Registered, extra: IClientOptions) =>
  mqtt.connectAsync(url, { protocolVersion: 4, username: lock.mqttUsername, password: lock.mqttPassword, clientId: lock.deviceId, reconnectPeriod: 0, ...extra });

/** The error a lock pinning `ca` gets from the TLS port, or 'connected'. */
async function tlsOutcome(url: string, lock: Registered, extra: IClientOptions): Promise<string | undefined> {
  try {
    const client = await asLock(url, lock, { connectTimeout: 5000, ...extra });
    await client.endAsync(true);
    return 'connected';
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

/** The SHA-256 fingerprint of the certificate the port serves, and the protocol agreed (or the error code). */
function handshake(port: number, options: ConnectionOptions = {}): Promise<{ fingerprint?: string; protocol?: string | null; error?: string }> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false, ...options }, () => {
      resolve({ fingerprint: socket.getPeerCertificate().fingerprint256, protocol: socket.getProtocol() });
      socket.end();
    });
    socket.once('error', (error: Error & { code?: string }) => resolve({ error: error.code ?? error.message }));
  });
}

const fingerprintOf = (pemFile: string) =>
  execFileSync('openssl', ['x509', '-in', pemFile, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' }).trim().split('=')[1];

/** The group the broker reads the key as: the mosquitto user's when it drops root, else ours. */
function brokerGroup(): string {
  try {
    if (process.getuid?.() === 0) return execFileSync('id', ['-g', 'mosquitto'], { encoding: 'utf8' }).trim();
  } catch {
    // No mosquitto user: the broker stays root.
  }
  return String(process.getgid?.() ?? 0);
}

/**
 * A renewal as certbot does it: the new files in a live folder, then the shipped deploy hook, which
 * copies them into the mounted folder and signals the broker (here the script, in place of
 * `docker compose kill -s HUP mosquitto`). Resolves once the new certificate is served.
 */
async function renewTo(served: { chain: string; key: string }): Promise<void> {
  const { broker: mosquitto } = started();
  const lineage = mkdtempSync(join(dir, 'live-'));
  copyFileSync(served.chain, join(lineage, 'fullchain.pem'));
  copyFileSync(served.key, join(lineage, 'privkey.pem'));
  const output = execFileSync('sh', [HOOK], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RENEWED_LINEAGE: lineage, MOSQUITTO_CERTS: certDir, MOSQUITTO_GID: brokerGroup(), MOSQUITTO_RELOAD: `kill -HUP ${mosquitto.pid}` },
    encoding: 'utf8',
  });
  expect(output).toContain('certbot-deploy-hook: ');
  const expected = fingerprintOf(served.chain);
  await eventually(async () => (await handshake(mosquitto.tlsPort ?? 0)).fingerprint === expected, 10_000, 100);
}

const closed = (client: MqttClient) => new Promise<void>((resolve) => (client.disconnected ? resolve() : client.once('close', () => resolve())));

describe('Mosquitto TLS listener (deploy config, 8883)', () => {
  it('serves a lock end to end over mqtts:// with its pinned root: AVAILABLE, and an UNLOCK reaches it', async (ctx) => {
    requireTlsBroker(ctx);
    const { app: running, tlsUrl } = started();
    const lock = await registerLock(running, owner.accessToken);
    const client = await asLock(tlsUrl, lock, { ca: pki.root });
    expect((client.stream as { encrypted?: boolean }).encrypted).toBe(true);
    const cmdTopic = running.topics.of(lock.deviceId, 'cmd');
    await client.subscribeAsync(cmdTopic, { qos: 1 });
    const commands: string[] = [];
    client.on('message', (topic, payload) => topic === cmdTopic && commands.push(payload.toString()));

    await publishStatus(running, client, lock, signedStatus(lock, { seq: 1 }));
    await eventually(async () => (await running.services.store.locks.findByDeviceId(lock.deviceId))?.state === 'AVAILABLE');

    const sent = await gql<{ unlock: { id: string; state: string } }>(running.httpUrl, UNLOCK, { d: lock.deviceId }, owner.accessToken);
    expect(sent.errors).toBeUndefined();
    // Signed with the lock's secret, for this lock (a `time` message may come first on the same topic).
    const key = Buffer.from(lock.deviceSecret, 'hex');
    const command = await eventually(async () => commands.map((payload) => verifyCommand(key, payload, lock.deviceId)).find((verified) => verified.verdict === 'valid')?.message);
    expect(command).toMatchObject({ dev: lock.deviceId, action: 'UNLOCK', id: sent.data?.unlock.id });
    await client.endAsync(true);
  });

  it('a simulated lock with the pinned root carries out the UNLOCK over TLS (command SUCCEEDED)', async (ctx) => {
    requireTlsBroker(ctx);
    const { app: running, tlsUrl } = started();
    const lock = await registerLock(running, owner.accessToken);
    const sim = await startLock({ brokerUrl: tlsUrl, topics: running.topics }, lock, { tls: { ca: pki.root } });
    try {
      await eventually(async () => (await running.services.store.locks.findByDeviceId(lock.deviceId))?.state === 'AVAILABLE');
      const sent = await gql<{ unlock: { id: string } }>(running.httpUrl, UNLOCK, { d: lock.deviceId }, owner.accessToken);
      const id = sent.data?.unlock.id ?? '';
      const done = await eventually(async () => {
        const response = await gql<{ command: CommandView }>(running.httpUrl, COMMAND, { id }, owner.accessToken);
        return response.data?.command.state === 'SUCCEEDED' ? response.data.command : null;
      });
      expect(done.action).toBe('UNLOCK');
      expect(sim.status).toBe('UNLOCKED');
    } finally {
      await sim.stop({ graceful: false });
    }
  });

  it('accepts TLS 1.2 and 1.3 and refuses 1.1 (tls_version is the minimum in Mosquitto 2.0)', async (ctx) => {
    requireTlsBroker(ctx);
    const port = started().broker.tlsPort ?? 0;
    const only = (version: SecureVersion, extra: ConnectionOptions = {}) => handshake(port, { minVersion: version, maxVersion: version, ca: pki.root, rejectUnauthorized: true, ...extra });
    expect((await only('TLSv1.3')).protocol).toBe('TLSv1.3');
    expect((await only('TLSv1.2')).protocol).toBe('TLSv1.2');
    // SECLEVEL=0 lets this client offer 1.1 at all: the refusal is then the broker's (its alert).
    expect((await only('TLSv1.1', { ciphers: 'DEFAULT@SECLEVEL=0' })).error).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  });

  it('a lock pinning another root refuses the broker', async (ctx) => {
    requireTlsBroker(ctx);
    const { app: running, tlsUrl } = started();
    const lock = await registerLock(running, owner.accessToken);
    // The broker sends its intermediate; the pinned root is not the one that issued it.
    expect(await tlsOutcome(tlsUrl, lock, { ca: pki.otherRoot })).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    // Node's own roots (no pin) do not know the throwaway root either; the pinned one does.
    expect(await tlsOutcome(tlsUrl, lock, {})).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    expect(await tlsOutcome(tlsUrl, lock, { ca: pki.root })).toBe('connected');
  });

  it('a renewal through the certbot deploy hook (files, then SIGHUP) is served without a restart; connected locks stay connected', async (ctx) => {
    requireTlsBroker(ctx);
    const { app: running, broker: mosquitto, tlsUrl } = started();
    const lock = await registerLock(running, owner.accessToken);
    const live = await asLock(tlsUrl, lock, { ca: pki.root });
    let dropped = false;
    live.once('close', () => (dropped = true));
    expect((await handshake(mosquitto.tlsPort ?? 0)).fingerprint).toBe(fingerprintOf(pki.good.chain));

    await renewTo(pki.renewed);
    expect(await tlsOutcome(tlsUrl, await registerLock(running, owner.accessToken), { ca: pki.root })).toBe('connected');
    // The session from before the reload is still there: a round trip on it answers.
    await live.subscribeAsync(running.topics.of(lock.deviceId, 'cmd'), { qos: 1 });
    expect(dropped).toBe(false);
    const ended = closed(live);
    await live.endAsync(true);
    await ended;
  });

  it('a lock refuses an expired certificate', async (ctx) => {
    requireTlsBroker(ctx);
    const { app: running, tlsUrl } = started();
    const lock = await registerLock(running, owner.accessToken);
    await renewTo(pki.expired);
    try {
      expect(await tlsOutcome(tlsUrl, lock, { ca: pki.root })).toBe('CERT_HAS_EXPIRED');
    } finally {
      await renewTo(pki.good);
    }
  });

  it('a lock refuses a certificate for another host name', async (ctx) => {
    requireTlsBroker(ctx);
    const { app: running, broker: mosquitto, tlsUrl } = started();
    const lock = await registerLock(running, owner.accessToken);
    await renewTo(pki.otherHost);
    try {
      expect(await tlsOutcome(tlsUrl, lock, { ca: pki.root })).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
      expect(await tlsOutcome(`mqtts://localhost:${mosquitto.tlsPort}`, lock, { ca: pki.root })).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
      // The chain itself is fine: only the name is wrong.
      const unnamed = await handshake(mosquitto.tlsPort ?? 0, { ca: pki.root, rejectUnauthorized: true, checkServerIdentity: () => undefined });
      expect(unnamed.error).toBeUndefined();
      expect(unnamed.fingerprint).toBe(fingerprintOf(pki.otherHost.chain));
    } finally {
      await renewTo(pki.good);
    }
  });
});

describe('Mosquitto without a mounted certificate', () => {
  it('starts with plain MQTT only and says that TLS is off', async (ctx) => {
    requireTlsBroker(ctx);
    const empty = mkdtempSync(join(tmpdir(), 'smartlock-no-certs-'));
    chmodSync(empty, 0o755);
    const bare = await startDynsecMosquitto(`${prefix}-bare`, { deployConfig: { certDir: empty } });
    try {
      expect(bare.output()).toMatch(/start-mosquitto: TLS is OFF.*missing: .*fullchain\.pem .*privkey\.pem/);
      expect((await handshake(bare.tlsPort ?? 0)).error).toBe('ECONNREFUSED');
      const admin = await mqtt.connectAsync(bare.url, { ...bare.admin, reconnectPeriod: 0 });
      await admin.endAsync(true);
    } finally {
      await bare.stop();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
