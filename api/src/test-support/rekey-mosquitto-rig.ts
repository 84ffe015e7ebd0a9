/**
 * Over-the-air rotation on Mosquitto with dynamic security (docs/protocol.md §13.3), for the
 * tests that run it end to end and kill either side: a private dynsec Mosquitto that outlives the
 * api, the built api spawned against it (a SQLite file, so a restart finds the rotation's state),
 * firmware/build/virtual-lock, and probes of the broker's one password per lock.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { createLogger } from '../app/logger.js';
import { lockAccount } from '../devices/broker/broker-password.js';
import { DynsecAccounts } from '../devices/broker/dynsec-accounts.js';
import { DynsecClient } from '../devices/broker/dynsec-client.js';
import { mqttPasswordV2 } from '../devices/protocol/keys.js';
import { Topics } from '../devices/protocol/topics.js';
import { startDynsecMosquitto, type DynsecMosquitto } from './dynsec-mosquitto.js';
import { gql, signUp, type AuthResult } from './graphql-client.js';
import { auditTrail } from './audit-trail.js';
import { COMMAND, ROTATION_STARTED, UNLOCK, type CommandView } from './lock-operations.js';
import { registerLock, type Registered } from './locks.js';
import { MAIN_JS, spawnProcess, type RunningServer } from './server-process.js';
import { eventually } from './subscriptions.js';
import { QUICK_HEARTBEAT_ARGS, VirtualLock } from './virtual-lock.js';

export const REKEY_WAIT_MS = 25_000;
const ROTATE = 'mutation ($d: ID!) { rotateDeviceSecretOverTheAir(deviceId: $d) { secretRotation { state } } }';
const ROTATABLE = 'query ($d: ID!) { lock(deviceId: $d) { overTheAirRotationUnavailable } }';

export interface RotationRow {
  secret_sealed: string;
  rekey_id: string | null;
  secret_pending_sealed: string | null;
  secret_previous_sealed: string | null;
}

/** Runs `cleanup`s in reverse order when the test ends (the caller's afterEach). */
export type Cleanups = (() => unknown)[];

/** An api start can take longer than spawnServer's 15 s on a loaded machine (these tests restart it often). */
const START_TIMEOUT_MS = 60_000;

/** spawnServer with a longer wait for "listening". */
async function spawnPatiently(env: Record<string, string>): Promise<RunningServer> {
  const proc = spawnProcess(MAIN_JS, { LOG_LEVEL: 'info', ...env });
  try {
    const listening = await proc.waitForLine((line) => typeof line.msg === 'string' && line.msg.startsWith('Smartlock api listening'), START_TIMEOUT_MS);
    const url = String(listening.url).replace('localhost', '127.0.0.1');
    return Object.assign(proc, { url, httpUrl: `${url}/graphql`, brokerUrl: String(listening.broker) });
  } catch (error) {
    await proc.kill();
    throw error;
  }
}

export class MosquittoRekeyRig {
  server!: RunningServer;
  owner!: AuthResult;
  registered!: Registered;
  readonly lockDir: string;
  private readonly dataDir: string;

  private constructor(
    readonly broker: DynsecMosquitto,
    private readonly cleanups: Cleanups,
    private readonly extraEnv: Record<string, string>,
  ) {
    this.dataDir = this.tempDir('api');
    this.lockDir = this.tempDir('lock');
  }

  /** A broker, an api on it, an owner and a registered lock (not started). */
  static async start(cleanups: Cleanups, extraEnv: Record<string, string> = {}): Promise<MosquittoRekeyRig> {
    const broker = await startDynsecMosquitto(`test-${randomUUID()}`);
    cleanups.push(() => broker.stop());
    const rig = new MosquittoRekeyRig(broker, cleanups, extraEnv);
    rig.server = await rig.startServer();
    rig.owner = await signUp(rig.server.httpUrl, 'owner');
    rig.registered = await registerLock(rig.server, rig.owner.accessToken);
    return rig;
  }

  get deviceId(): string {
    return this.registered.deviceId;
  }

  async startServer(): Promise<RunningServer> {
    const server = await spawnPatiently({
      ...this.broker.apiEnv,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: this.dataDir,
      SCRYPT_COST: '12',
      OVERLOAD_LAG_MS: '60000',
      COMMAND_TIMEOUT_MS: '8000',
      COMMAND_RATE_BURST_MAX: '1000', // the tests poll a lock that is coming back online
      ...this.extraEnv,
    });
    this.cleanups.push(() => server.kill());
    return server;
  }

  /** kill -9 of the api, then a new one on the same data (its start-up reconciles the broker). */
  async crashApi(): Promise<void> {
    this.server.child.kill('SIGKILL');
    await this.server.exited;
  }

  async restartApi(): Promise<void> {
    this.server = await this.startServer();
  }

  /** The virtual lock, always configured with the secret it was first given (a rotated one lives in its state dir). */
  startLock(faultEnv: Record<string, string> = {}): VirtualLock {
    const lock = new VirtualLock(this.broker.url, this.broker.apiEnv.MQTT_TOPIC_PREFIX ?? '', this.registered, this.lockDir, QUICK_HEARTBEAT_ARGS, faultEnv);
    this.cleanups.push(() => lock.kill('SIGKILL'));
    return lock;
  }

  row(): RotationRow | undefined {
    const db = new Database(join(this.dataDir, 'smartlock.db'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare<[string], RotationRow>('SELECT secret_sealed, rekey_id, secret_pending_sealed, secret_previous_sealed FROM locks WHERE device_id = ?').get(this.deviceId);
    } finally {
      db.close();
    }
  }

  /** Online as v3 and offered over-the-air rotation (on dynsec: nothing refuses it any more). */
  async rotatable(lock: VirtualLock): Promise<void> {
    let last: unknown;
    await eventually(async () => {
      const view = await gql<{ lock: { overTheAirRotationUnavailable: string | null } }>(this.server.httpUrl, ROTATABLE, { d: this.deviceId }, this.owner.accessToken);
      last = view;
      return view.data?.lock.overTheAirRotationUnavailable === null ? true : null; // null: online, v3, nothing refuses it
    }, REKEY_WAIT_MS).catch((error: Error) => Promise.reject(new Error(`${error.message}: ${JSON.stringify(last)}${lock.transcript()}`)));
  }

  /** Starts a rotation; returns the sealed secret before it. */
  async rotate(): Promise<string> {
    const before = this.row()?.secret_sealed ?? '';
    const started = await gql<{ rotateDeviceSecretOverTheAir: { secretRotation: { state: string } | null } }>(this.server.httpUrl, ROTATE, { d: this.deviceId }, this.owner.accessToken);
    if (started.errors || !ROTATION_STARTED.includes(started.data?.rotateDeviceSecretOverTheAir.secretRotation?.state)) throw new Error(`rotation not started: ${JSON.stringify(started)}`);
    return before;
  }

  /** The rotation is over: a new secret, nothing pending or kept. */
  async rotated(before: string, lock: VirtualLock): Promise<void> {
    await eventually(async () => {
      const now = this.row();
      return now && now.rekey_id === null && now.secret_previous_sealed === null && now.secret_pending_sealed === null && now.secret_sealed !== before ? true : null;
    }, REKEY_WAIT_MS).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${JSON.stringify(this.row())}${lock.transcript()}`)));
  }

  async unlockSucceeds(lock: VirtualLock): Promise<void> {
    let last: unknown;
    const sent = await eventually(async () => {
      const answer = await gql<{ unlock: { id: string } }>(this.server.httpUrl, UNLOCK, { d: this.deviceId }, this.owner.accessToken);
      last = answer.errors;
      return answer.data?.unlock.id ?? null; // LOCK_OFFLINE until the lock's first status after a restart
      // Slowly: refused attempts count against the lock's command budget.
    }, REKEY_WAIT_MS, 500).catch((error: Error) => Promise.reject(new Error(`${error.message}: ${JSON.stringify(last)}${lock.transcript()}${this.apiLog()}`)));
    const done = await eventually(async () => {
      const view = (await gql<{ command: CommandView }>(this.server.httpUrl, COMMAND, { id: sent }, this.owner.accessToken)).data?.command;
      return view && view.state !== 'SENT' ? view : null;
    }, REKEY_WAIT_MS);
    if (done.state !== 'SUCCEEDED') throw new Error(`unlock ended ${done.state}${lock.transcript()}${this.apiLog()}${await auditTrail(this.server.httpUrl, this.owner.accessToken, this.deviceId)}`);
  }

  /**
   * The CONNACK code for this lock's account and a password: 0 accepted, 4/5 refused. Only while
   * the lock is stopped: the account binds its client id, so the probe would take its session over.
   */
  async loginCode(password: string): Promise<number | undefined> {
    try {
      const client = await mqtt.connectAsync(this.broker.url, { protocolVersion: 4, username: this.deviceId, password, clientId: this.deviceId, reconnectPeriod: 0, connectTimeout: 5000 });
      await client.endAsync(true);
      return 0;
    } catch (error) {
      return (error as { code?: number }).code;
    }
  }

  /** The api's warnings and errors, for a failure's message. */
  apiLog(): string {
    const notable = this.server.lines.filter((line) => (line.level ?? 0) >= 40 || line.deviceId === this.deviceId);
    return `\n--- api log\n${notable.map((line) => JSON.stringify(line)).join('\n')}`;
  }

  /** A secret the virtual lock keeps in its state dir (firmware key_ring.h): `keynext` (pending) or `key` (rotated). */
  lockSecret(name: 'keynext' | 'key'): string | undefined {
    try {
      return readFileSync(join(this.lockDir, name), 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes the stopped lock's state as its switch to the pending secret does (KeyRing::commit: `key` first, then `keynext` emptied). */
  commitLockSecret(): void {
    const next = this.lockSecret('keynext');
    if (next === undefined) throw new Error('the lock holds no pending secret');
    writeFileSync(join(this.lockDir, 'key'), `${next}\n`);
    writeFileSync(join(this.lockDir, 'keynext'), '\n');
  }

  /** The v2 (and v3) broker password of a secret given in hex. */
  static passwordOf(secretHex: string): string {
    return mqttPasswordV2(Buffer.from(secretHex, 'hex'));
  }

  /** Sets the lock account's password as the broker's admin (to leave the broker as a crash would). */
  async setBrokerPassword(password: string): Promise<void> {
    await this.asAdmin((admin) => admin.run([{ command: 'setClientPassword', username: this.deviceId, password }]));
  }

  /** Creates the lock's account as the broker's admin, with its v1 password: accounts kept by hand (MQTT_BROKER_ADMIN=none). */
  async createAccountByHand(): Promise<void> {
    const log = createLogger('silent');
    const account = lockAccount(this.deviceId, Buffer.from(this.registered.deviceSecret, 'hex'), 1);
    await this.asAdmin((admin) => new DynsecAccounts(admin, new Topics(this.broker.apiEnv.MQTT_TOPIC_PREFIX ?? ''), log).create(account));
  }

  private async asAdmin<T>(use: (admin: DynsecClient) => Promise<T>): Promise<T> {
    const admin = new DynsecClient({ url: this.broker.url, ...this.broker.admin, log: createLogger('silent') });
    await admin.start();
    try {
      return await use(admin);
    } finally {
      await admin.stop();
    }
  }

  private tempDir(name: string): string {
    const dir = mkdtempSync(join(tmpdir(), `smartlock-rekeymq-${name}-`));
    this.cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }
}
