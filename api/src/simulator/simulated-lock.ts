/**
 * A lock in Node that speaks protocol v1 like the firmware (firmware/src/core/lock_app.cpp,
 * lock_controller.cpp): signed heartbeats, verified commands, persisted counters, acks on a
 * status published at once. The bolt moves instantly, so there is no `busy` rejection and no
 * LOCKING/UNLOCKING status. With `protocol: 2` it also speaks v2 (docs/protocol.md §11): the
 * v2 broker password, a hello after each connect (repeated with back-off until a welcome),
 * v1 until welcomed, then v2 statuses with door and source, v2 commands, time and cfg.
 * Past the usual file size on purpose: the lock's state (boot, seq, ctr, keys, connection) has one
 * owner, this class, as on the firmware; what needs none of it lives beside it (command-decision,
 * hello-handshake, server-time, status-message, firmware-updater, lock-connection).
 */
import { EventEmitter } from 'node:events';
import { type MqttClient } from 'mqtt';
import { type AckMessage, type StatusMessage } from '../devices/protocol/messages.js';
import { deriveKey } from '../devices/protocol/keys.js';
import { resetJson } from '../devices/protocol/messages-v2.js';
import { signPayload } from '../devices/protocol/signature.js';
import { type ChangeSource, type DoorState, type StatusMessageV2 } from '../devices/protocol/messages-v2.js';
import { decodePayload } from '../devices/protocol/verify.js';
import { verifyFromServerV2 } from '../devices/protocol/verify-v2.js';
import { usesPurposeKeys, type KeyedVersion, type ProtocolVersion } from '../devices/protocol/versions.js';
import { sendNow, setNoDelay } from '../devices/broker/mqtt-link.js';
import { Topics } from '../devices/protocol/topics.js';
import { decideCommand, type AnyCommand } from './command-decision.js';
import { BrokerLogin } from './broker-login.js';
import { HelloHandshake, highestKeyed } from './hello-handshake.js';
import { connectAsLock, untilOnline } from './lock-connection.js';
import { HardwareDrift } from './hardware-drift.js';
import { ServerTime } from './server-time.js';
import { signStatus, statusMessage } from './status-message.js';
import { FirmwareUpdater } from './firmware-updater.js';
import type { UpdProgress } from '../devices/protocol/messages-v3-update.js';
import { type LockStats, type LockStatus, type SimulatedLockEvents, type SimulatedLockOptions } from './lock-types.js';

export type * from './lock-types.js';

const ISSUE_JAMMED = 'Motor jammed';

export class SimulatedLock extends EventEmitter<SimulatedLockEvents> {
  readonly deviceId: string;
  private readonly key: Buffer;
  private readonly topics: Record<'cmd' | 'status' | 'availability', string>;
  private readonly clock: () => number;
  private readonly heartbeatMs: number;
  private readonly log: (line: string) => void;
  private client: MqttClient | null = null;
  private heartbeat: NodeJS.Timeout | undefined;
  private boot = 0;
  private seq = 0;
  private ctr = 0;
  private startedAtMs = 0;
  private readonly drift: HardwareDrift;
  private current: LockStatus;
  private issue = '';
  private jammed: boolean;
  private online = false;
  private readonly serverTime = new ServerTime();
  private readonly login: BrokerLogin;
  /** v2 keys (docs/protocol.md §11.1): `cmd` verifies what the server sends, `status` signs ours. */
  private readonly cmdKey: Buffer;
  private readonly statusKey: Buffer;
  private readonly hello: HelloHandshake;
  private door: DoorState;
  private lastSource: ChangeSource = 'BOOT';
  private lastCommandId: string | undefined;
  private cfg = { relock: 0, boot: 'STAY' as 'STAY' | 'LOCK', lockOpen: 'REFUSE' as 'REFUSE' | 'ALLOW' };
  private readonly counts: LockStats = { received: 0, executed: 0, rejected: 0, failed: 0, dropped: 0 };
  /** The running image's version: its hello and statuses say it; a firmware update changes it. */
  private firmware: string;
  /** Signed firmware updates (protocol v3 `update`), when `firmwareUpdates` is given. */
  private readonly updater: FirmwareUpdater | undefined;

  constructor(private readonly options: SimulatedLockOptions) {
    super();
    this.deviceId = options.deviceId;
    if (!/^[0-9a-f]{64}$/.test(options.deviceSecret)) throw new Error('deviceSecret must be 64 lowercase hex characters');
    this.key = Buffer.from(options.deviceSecret, 'hex');
    const topics = new Topics(options.topicPrefix);
    this.topics = { cmd: topics.of(this.deviceId, 'cmd'), status: topics.of(this.deviceId, 'status'), availability: topics.of(this.deviceId, 'availability') };
    this.clock = options.clock ?? Date.now;
    this.heartbeatMs = options.heartbeatMs ?? 9000;
    this.log = options.log ?? (() => undefined);
    this.current = options.initialStatus ?? 'LOCKED';
    this.jammed = options.jam ?? false;
    this.login = new BrokerLogin(this.key, usesPurposeKeys(options.protocol ?? 1));
    this.cmdKey = deriveKey(this.key, 'cmd');
    this.statusKey = deriveKey(this.key, 'status');
    this.door = options.door ?? 'CLOSED';
    this.firmware = options.firmware ?? 'sim-1.0.0';
    this.updater = options.firmwareUpdates ? this.createUpdater(options.firmwareUpdates) : undefined;
    // Drains from its first status on, across reconnects and restarts of the same object.
    const { battery, batteryDrainMinutes: drainMinutes, rssi, rssiWalk, random } = options;
    this.drift = new HardwareDrift({ battery, drainMinutes, rssi, rssiWalk, random });
    this.hello = new HelloHandshake({
      deviceId: this.deviceId,
      cmdKey: this.cmdKey,
      statusKey: this.statusKey,
      statusTopic: this.topics.status,
      fw: () => this.firmware,
      firstRetryMs: options.helloRetryMs ?? 10_000,
      stamp: () => this.stampHello(),
      isCurrent: (client) => this.client === client,
      log: this.log,
      maxVersion: highestKeyed(options.protocol ?? 1),
    });
  }

  /** The version spoken on the current connection (1 until a welcome chose 2 or 3). */
  get protocolVersion(): ProtocolVersion {
    return this.hello.speaking;
  }

  /** v2: the thumb-turn or key moved the bolt; reported at once with `src` MANUAL. */
  async turnByHand(status: 'LOCKED' | 'UNLOCKED'): Promise<void> {
    this.current = status;
    this.lastSource = 'MANUAL';
    this.lastCommandId = undefined;
    await this.sendStatus();
  }

  /** v2: the door sensor changed; reported at once. */
  async setDoor(door: DoorState): Promise<void> {
    this.door = door;
    await this.sendStatus();
  }

  /** The version of the image it runs. */
  get runningFirmware(): string {
    return this.firmware;
  }

  /** The anti-rollback counter it stores (raised when an update is confirmed). */
  get storedArc(): number | undefined {
    return this.updater?.storedArc;
  }

  get status(): LockStatus {
    return this.current;
  }
  get connected(): boolean {
    return this.online;
  }
  get stats(): Readonly<LockStats> {
    return { ...this.counts };
  }
  get bootCount(): number {
    return this.boot;
  }
  get lastCounter(): number {
    return this.ctr;
  }
  /** Toggles jam mode for the next commands; the current status stays until one arrives. */
  setJam(jam: boolean): void {
    this.jammed = jam;
  }

  /** Counts a boot, connects, and resolves once `online` and the first status are out. */
  async start(): Promise<void> {
    if (this.client) throw new Error(`${this.deviceId} is already started`);
    const saved = this.options.state.load(this.deviceId);
    this.boot = saved.boot + 1;
    this.ctr = saved.ctr;
    this.seq = 0;
    this.serverTime.reset();
    this.options.state.save(this.deviceId, { boot: this.boot, ctr: this.ctr });
    this.startedAtMs = this.clock();
    const speaksV2 = usesPurposeKeys(this.options.protocol ?? 1);
    const client = connectAsLock({ brokerUrl: this.options.brokerUrl, deviceId: this.deviceId, login: this.login, speaksV2, availabilityTopic: this.topics.availability, tls: this.options.tls });
    this.client = client;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('connect', () => {
      setNoDelay(client);
      void this.announce(client);
    });
    client.on('close', () => this.wentOffline());
    const started = untilOnline(client, this, {
      deviceId: this.deviceId,
      timeoutMs: this.options.connectTimeoutMs ?? 30_000,
      refusalsTolerated: speaksV2 ? 1 : 0,
      onGiveUp: () => {
        this.client = null;
      },
    });
    // mqtt.js throws on an 'error' nobody listens to; later errors are followed by reconnects.
    client.on('error', (error) => this.log(`${this.deviceId}: mqtt error: ${error.message}`));
    await started;
  }

  /**
   * Graceful: retained `offline`, then a clean DISCONNECT (the will is discarded).
   * Not graceful: the socket is destroyed without DISCONNECT, so the broker publishes the will.
   */
  async stop({ graceful }: { graceful: boolean }): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = null;
    clearTimeout(this.heartbeat);
    if (graceful && client.connected) {
      try {
        await client.publishAsync(this.topics.availability, 'offline', { qos: 1, retain: true });
      } catch (error) {
        this.log(`${this.deviceId}: could not publish offline: ${(error as Error).message}`);
      }
      await client.endAsync();
    } else {
      await client.endAsync(true);
    }
    this.wentOffline();
  }

  /** Publishes a signed status now (QoS 1 when it carries an ack) and restarts the heartbeat. */
  async sendStatus(ack?: AckMessage, upd?: UpdProgress): Promise<StatusMessage | StatusMessageV2> {
    const client = this.client;
    if (!client?.connected) throw new Error(`${this.deviceId} is not connected`);
    const now = this.clock();
    const seq = ++this.seq; // consumed even if the publish fails: seq only grows, as on the firmware
    const ts = this.wallClockS(now) ?? 0;
    const uptime = Math.max(0, Math.floor((now - this.startedAtMs) / 1000));
    const facts = { dev: this.deviceId, boot: this.boot, seq, status: this.current, ctr: this.ctr, ts, uptime, issue: this.issue, ack };
    const hardware = { ...this.options, firmware: this.firmware, ...this.drift.read(now) };
    const plain = statusMessage({ ...facts, door: this.door, src: this.lastSource, lastCommandId: this.lastCommandId }, hardware, this.hello.speaking);
    // `upd` is a v3 member: only an update (v3 only) makes one, so a lock speaking less has none to send.
    const message = upd && plain.v === 3 ? { ...plain, upd } : plain;
    this.scheduleHeartbeat();
    this.serverTime.statusSent(seq, now);
    const payload = signStatus(message, { key: this.key, statusKey: this.statusKey });
    const published = client.publishAsync(this.topics.status, payload, { qos: ack || upd ? 1 : 0 });
    sendNow(client); // as the firmware does: the status leaves before the rest of this turn's work
    await published;
    this.emit('status', message);
    return message;
  }

  /**
   * The long press (docs/protocol.md §15.5): in v3 a signed `reset` goes out first, so the server
   * releases the lock; then the lock forgets its credentials (here: it stops). False when it was not
   * speaking v3 (nothing was sent; the owner's removeLock releases it).
   */
  async factoryReset(): Promise<boolean> {
    const client = this.client;
    const speaksV3 = this.hello.speaking === 3 && client?.connected === true;
    if (speaksV3) {
      const ts = this.wallClockS(this.clock()) ?? 0;
      const unsigned = resetJson({ v: 3, type: 'reset', dev: this.deviceId, boot: this.boot, seq: ++this.seq, ts });
      await client.publishAsync(this.topics.status, signPayload(this.statusKey, unsigned), { qos: 1 });
    }
    await this.stop({ graceful: false });
    return speaksV3;
  }

  /** The hello's counters: it uses up a seq, and a time message may answer it like a status. */
  private stampHello(): { boot: number; seq: number; ts: number } {
    const now = this.clock();
    const seq = ++this.seq;
    const ts = this.wallClockS(now) ?? 0;
    this.serverTime.statusSent(seq, now);
    return { boot: this.boot, seq, ts };
  }

  private async announce(client: MqttClient): Promise<void> {
    try {
      await client.publishAsync(this.topics.availability, 'online', { qos: 1, retain: true });
      await client.subscribeAsync(this.topics.cmd, { qos: 1 });
      if (usesPurposeKeys(this.options.protocol ?? 1)) await this.hello.begin(client);
      await this.sendStatus();
      this.online = true;
      this.emit('online');
    } catch (error) {
      // The connection dropped meanwhile; mqtt.js reconnects and 'connect' runs this again.
      this.log(`${this.deviceId}: announce failed: ${(error as Error).message}`);
    }
  }

  private wentOffline(): void {
    clearTimeout(this.heartbeat);
    this.hello.end();
    if (!this.online) return;
    this.online = false;
    this.emit('offline');
  }

  private scheduleHeartbeat(): void {
    clearTimeout(this.heartbeat);
    this.heartbeat = setTimeout(() => {
      this.sendStatus().catch((error: Error) => this.log(`${this.deviceId}: heartbeat failed: ${error.message}`));
    }, this.heartbeatMs);
  }

  /** Unix seconds: the server's, once it sent them; the injected clock unless timeFromServer. */
  private wallClockS(localMs: number): number | null {
    return this.serverTime.nowS(localMs) ?? (this.options.timeFromServer ? null : Math.floor(localMs / 1000));
  }

  private onMessage(topic: string, payload: Buffer): void {
    this.counts.received += 1;
    if (topic !== this.topics.cmd) {
      this.counts.dropped += 1;
      return;
    }
    const text = payload.toString('utf8');
    if (this.hello.awaitingWelcome && text.includes('"type":"welcome"')) return this.onWelcome(text);
    if (text.includes('"type":"time"')) return this.onTime(text);
    const speaking = this.hello.speaking;
    if (usesPurposeKeys(speaking) && text.includes('"type":"cfg"')) return this.onCfg(text, speaking);
    if (speaking === 3 && text.includes('"type":"rekey"')) return this.onRekey(text);
    if (this.updater && speaking === 3 && text.includes('"type":"update"')) {
      this.updater.onUpdate(text).catch((error: Error) => this.log(`${this.deviceId}: update failed: ${error.message}`));
      return;
    }
    const key = usesPurposeKeys(speaking) ? this.cmdKey : this.key;
    const decision = decideCommand({ key, version: this.hello.speaking, deviceId: this.deviceId, lastCtr: this.ctr, nowS: this.wallClockS(this.clock()) }, payload);
    switch (decision.kind) {
      case 'drop':
        this.counts.dropped += 1;
        this.log(`${this.deviceId}: dropped a command (${decision.verdict}: ${decision.detail})`);
        this.emit('command', { verdict: decision.verdict, outcome: 'dropped' });
        return;
      case 'reject':
        this.counts.rejected += 1;
        this.log(`${this.deviceId}: cmd ${decision.id} rejected: ${decision.reason}`);
        this.reply({ id: decision.id, result: 'rejected', reason: decision.reason });
        this.emit('command', { verdict: decision.verdict, outcome: 'rejected', reason: decision.reason, id: decision.id, cmd: decision.cmd });
        return;
      case 'execute':
        this.execute(decision.cmd);
        return;
    }
  }

  private onWelcome(text: string): void {
    const outcome = this.hello.takeWelcome(text);
    if (!outcome.taken) {
      this.counts.dropped += 1;
      this.log(`${this.deviceId}: welcome ignored (${outcome.verdict})`);
      return;
    }
    this.login.welcomed(outcome.version);
    this.emit('negotiated', outcome.version);
    // A firmware update's report first: a QoS 0 status published meanwhile could overtake its QoS 1
    // one, and the server would drop the report as a replay (a lower seq).
    const updateReported = this.updater?.onWelcome().catch((error: Error) => this.log(`${this.deviceId}: update not confirmed: ${error.message}`));
    // Show the server the v2 state (door, source) at once.
    void Promise.resolve(updateReported).then(() => {
      if (this.client?.connected) this.sendStatus().catch((error: Error) => this.log(`${this.deviceId}: status not sent: ${error.message}`));
    });
  }

  /** v2 cfg: checked like a command (valid, ctr above the last), persisted, then acked. */
  private onCfg(text: string, version: KeyedVersion): void {
    const verified = verifyFromServerV2(this.cmdKey, decodePayload(Buffer.from(text)) ?? '', this.deviceId, ['cfg'], [version]);
    if (verified.verdict !== 'valid') {
      this.counts.dropped += 1;
      this.log(`${this.deviceId}: cfg dropped (${verified.verdict})`);
      return;
    }
    const cfg = verified.message;
    if (cfg.ctr <= this.ctr) return this.reply({ id: cfg.id, result: 'rejected', reason: 'replay' });
    this.options.state.save(this.deviceId, { boot: this.boot, ctr: cfg.ctr });
    this.ctr = cfg.ctr;
    this.cfg = { relock: cfg.relock, boot: cfg.boot, lockOpen: cfg.lockOpen };
    this.emit('configured', { ...this.cfg });
    this.reply({ id: cfg.id, result: 'ok' });
  }

  /**
   * v3 rekey (docs/protocol.md §13.3): the simulator keeps no secret across its restarts, so it
   * refuses every rekey (signed ones are answered `rejected`, `unsupported`; the counter is not
   * consumed) rather than take a secret it would lose. The server keeps the rotation pending.
   */
  private onRekey(text: string): void {
    const verified = verifyFromServerV2(this.cmdKey, decodePayload(Buffer.from(text)) ?? '', this.deviceId, ['rekey'], [3]);
    if (verified.verdict !== 'valid') {
      this.counts.dropped += 1;
      this.log(`${this.deviceId}: rekey dropped (${verified.verdict})`);
      return;
    }
    this.reply({ id: verified.message.id, result: 'rejected', reason: 'unsupported' });
  }

  /** A time message carries no id: whatever is wrong with it, nobody is answered. */
  private onTime(text: string): void {
    const key = usesPurposeKeys(this.hello.speaking) ? this.cmdKey : this.key;
    const outcome = this.serverTime.apply({ key, version: this.hello.speaking, deviceId: this.deviceId, boot: this.boot, localMs: this.clock() }, text);
    if (outcome !== 'set') {
      this.counts.dropped += 1;
      this.log(`${this.deviceId}: time message ignored (${outcome})`);
      return;
    }
    this.emit('timeSynced');
    // The server drops statuses without time: show it a fresh one at once.
    if (this.client?.connected) this.sendStatus().catch((error: Error) => this.log(`${this.deviceId}: status not sent: ${error.message}`));
  }

  private execute(cmd: AnyCommand): void {
    // v2 default: never throw the bolt into an open door (docs/protocol.md §11.5); ctr not consumed.
    if (cmd.v !== 1 && cmd.action === 'LOCK' && this.door === 'OPEN' && this.cfg.lockOpen === 'REFUSE') {
      return this.answer(cmd, 'rejected', 'door_open');
    }
    try {
      // Persist first: a crash after this line can never let the same command run again.
      this.options.state.save(this.deviceId, { boot: this.boot, ctr: cmd.ctr });
    } catch (error) {
      this.log(`${this.deviceId}: cannot persist ctr: ${(error as Error).message}`);
      return this.answer(cmd, 'rejected', 'storage');
    }
    this.ctr = cmd.ctr;
    this.lastSource = 'REMOTE';
    this.lastCommandId = cmd.id;
    if (this.jammed) {
      this.current = 'JAMMED';
      this.issue = ISSUE_JAMMED;
      return this.answer(cmd, 'failed', 'jammed');
    }
    this.current = cmd.action === 'LOCK' ? 'LOCKED' : 'UNLOCKED';
    this.issue = '';
    this.answer(cmd, 'ok');
  }

  /** A verified command's outcome: counted, acked, reported. */
  private answer(cmd: AnyCommand, outcome: 'ok' | 'failed' | 'rejected', reason?: 'door_open' | 'storage' | 'jammed'): void {
    this.counts[outcome === 'ok' ? 'executed' : outcome] += 1;
    this.reply(reason ? { id: cmd.id, result: outcome, reason } : { id: cmd.id, result: outcome });
    this.emit('command', reason ? { verdict: 'valid', outcome, reason, id: cmd.id, cmd } : { verdict: 'valid', outcome, id: cmd.id, cmd });
  }

  private reply(ack: AckMessage): void {
    this.sendStatus(ack).catch((error: Error) => this.log(`${this.deviceId}: ack ${ack.id} not sent: ${error.message}`));
  }

  private createUpdater(options: NonNullable<SimulatedLockOptions['firmwareUpdates']>): FirmwareUpdater {
    return new FirmwareUpdater(
      {
        deviceId: this.deviceId,
        cmdKey: this.cmdKey,
        lastCtr: () => this.ctr,
        persistCtr: (ctr) => {
          this.options.state.save(this.deviceId, { boot: this.boot, ctr });
          this.ctr = ctr;
        },
        nowS: () => this.wallClockS(this.clock()),
        runningFirmware: () => this.firmware,
        report: async (extra) => void (await this.sendStatus(extra.ack, extra.upd)),
        restartWith: async (fw) => {
          // Never from inside the client's own message handler: ending it there can wait forever.
          await new Promise((resolve) => setImmediate(resolve));
          await this.stop({ graceful: false });
          this.firmware = fw;
          await this.start();
        },
        log: this.log,
      },
      options,
    );
  }

}
