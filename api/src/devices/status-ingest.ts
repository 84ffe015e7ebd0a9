/**
 * Lock → server messages. A status is trusted only after the protocol's checks
 * (status-trust.ts); anything else is dropped and counted. A lock whose statuses
 * are dropped as stale is shown Unavailable with issue "Clock out of sync" and
 * sent the server's time.
 * Heartbeats that change nothing a viewer sees are coalesced and written in
 * batches, so the write cost does not grow with the heartbeat rate; changes
 * are written and announced at once.
 */
import type { Logger } from '../app/logger.js';
import { sinceFields } from '../alerts/alert-rules.js';
import type { LockAlerts } from '../alerts/lock-alerts.js';
import type { AuditService } from '../audit/audit.service.js';
import type { CommandsService } from '../commands/commands.service.js';
import type { EventBus } from '../events/events.js';
import { afterPendingDeliveries } from '../events/after-pending-deliveries.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/ports.js';
import type { LockRecord } from '../store/records.js';
import type { LockMessage } from './broker/lock-link.js';
import type { DeviceKeys } from './device-keys.js';
import type { DroppedMessages } from './dropped-messages.js';
import { KeyRotation } from './key-rotation.js';
import type { AckMessage } from './protocol/messages.js';
import type { UpdProgress } from './protocol/messages-v3-update.js';
import { BLEREV_ID_PREFIX } from './protocol/messages-v3-ble.js';
import type { Topics } from './protocol/topics.js';
import { decodePayload } from './protocol/verify.js';
import { ProtocolNegotiation } from './protocol-negotiation.js';
import { LockConfig } from './lock-config.js';
import { batteryIsLow, isNewer, isVisibleChange, patchFromStatus, withChangeTime, type AnyStatus } from './status-changes.js';
import { checkFreshness } from './status-freshness.js';
import { LockClocks } from './lock-clocks.js';
import { IngestLockCache } from './ingest-lock-cache.js';
import { CoalescedHeartbeats } from './coalesced-heartbeats.js';
import { StatusTrust, type Trusted } from './status-trust.js';
import type { TimeSync } from './time-sync.js';

export interface StatusIngestDeps {
  store: Store;
  keys: DeviceKeys;
  topics: Topics;
  commands: CommandsService;
  audit: AuditService;
  events: EventBus;
  dropped: DroppedMessages;
  metrics: Metrics;
  log: Logger;
  flushMs: number;
  /** STATUS_MAX_SKEW_S */
  maxSkewS: number;
  timeSync: TimeSync;
  /** Answers hellos (docs/protocol.md §11.3). */
  negotiation: ProtocolNegotiation;
  /** Audits acks of cfg messages (§11.7). */
  lockConfig: LockConfig;
  /** Re-evaluated after every change: "locked while the door was open" is raised at once, ended alerts clear. */
  alerts?: LockAlerts;
  /** Told of each accepted cfg ack, to mark the owner's settings applied or rejected. */
  settingsAcks?: { acked(lock: LockRecord, ack: AckMessage): Promise<boolean> };
  /** Over-the-air secret rotation (§13.3): told of rekey acks and of the lock's first use of its new secret. */
  rotation?: KeyRotation;
  /** Told of every accepted status, for the sampled diagnostics history (diagnostics/). */
  diagnostics?: { statusAccepted(deviceId: string, status: AnyStatus, at: Date): void };
  /** Told of each accepted status carrying a firmware update's ack or progress (`upd`, v3: firmware/update-ingest.ts). */
  firmwareUpdates?: { statusAccepted(lock: LockRecord, status: { ack?: AckMessage; upd?: UpdProgress }): Promise<void> };
  /** A v3 lock said it was factory-reset: it is released (locks.service.ts). */
  onFactoryReset?: (lock: LockRecord) => Promise<void>;
  /** Told of each signed answer to a Bluetooth revocation list (`blerev-…` acks, ble/ble-revocations.ts). */
  bleRevocations?: { acked(lock: LockRecord, ack: AckMessage): Promise<void> };
  /** Told of each accepted (or fresh, replayed) v3 status reporting an offline use (`ble`, ble/ble-uses.ts). */
  bleUses?: { reported(lock: LockRecord, text: string, receivedAt: number): Promise<void> };
  now?: () => number;
}

export const CONNECTION_LOST = 'Connection lost';

/** A v3 status that reports on a firmware update: its progress, or its answer to the `update`. */
function aboutAnUpdate(message: AnyStatus): boolean {
  return ('upd' in message && message.upd !== undefined) || Boolean(message.ack?.id.startsWith('upd-'));
}
export { CLOCK_OUT_OF_SYNC } from './lock-clocks.js';

/** The offline use a v3 status reports, if any. */
function bleUseOf(message: AnyStatus): string | undefined {
  return 'ble' in message ? message.ble : undefined;
}

/** An ack that answers a Bluetooth revocation list. */
function answersBlerev(ack: AckMessage | undefined): ack is AckMessage {
  return ack?.id.startsWith(BLEREV_ID_PREFIX) ?? false;
}

export class StatusIngest {
  /** Last known row per lock: the ingest path reads no database on a heartbeat (ingest-lock-cache.ts). */
  private readonly cache: IngestLockCache;
  private readonly heartbeatWrites: CoalescedHeartbeats;
  /** Per-device chains keep one lock's messages in order while locks proceed in parallel. */
  private readonly chains = new Map<string, Promise<void>>();
  /**
   * What tryHeartbeat concluded about the messages it handed to the ordered path, by lock: the
   * row it checked, its cache entry, and the verdict. The ordered path takes them while that entry
   * is still the cached one, instead of unpacking the row, verifying the signature and parsing the
   * message a second time (on the way back of every command, the lock's answer is one). Sound
   * because StatusTrust.check is pure and the entry unchanged: nothing replaced it (its token), and
   * only a heartbeat of this lock writes into it in place, which waits for this message's turn on
   * the ordered path (`chains`).
   */
  private readonly handedOver = new Map<string, { entry: object; lock: LockRecord; payload: Buffer; trusted: Trusted }>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly statusTrust: StatusTrust;
  private readonly heartbeats: { inc(): void };
  private readonly clocks: LockClocks;

  constructor(private readonly deps: StatusIngestDeps) {
    this.now = deps.now ?? Date.now;
    this.statusTrust = new StatusTrust(deps.keys, deps.maxSkewS, this.now());
    this.heartbeats = deps.metrics.mqttAccepted.labels('heartbeat');
    this.clocks = new LockClocks(deps);
    this.cache = new IngestLockCache(deps);
    // A failed write leaves cached rows the store does not hold: those locks' next message re-reads it.
    this.heartbeatWrites = new CoalescedHeartbeats({ ...deps, onChunkFailed: (deviceIds) => deviceIds.forEach((id) => this.cache.delete(id)) });
  }

  start(): void {
    this.flushTimer = setInterval(() => void this.flush(), this.deps.flushMs);
    this.flushTimer.unref();
    // Write what is pending before the cache forgets every lock on a resync.
    this.cache.start(() => this.flush());
  }

  async stop(): Promise<void> {
    clearInterval(this.flushTimer);
    this.cache.stop();
    await Promise.all([...this.chains.values()]);
    await this.flush();
  }

  /** Entry point for every message from the broker. Never throws. */
  handle(message: LockMessage): void {
    const receivedAt = this.now();
    const parsed = this.deps.topics.parse(message.topic);
    if (!parsed || parsed.kind === 'cmd') return this.deps.dropped.drop('unknown_topic', null, null, message.topic.slice(0, 200));
    const { deviceId, kind } = parsed;
    // Most messages are heartbeats of known locks: handle those without a promise or a database read.
    if (kind === 'status' && !this.chains.has(deviceId) && this.tryHeartbeat(deviceId, message.payload, receivedAt)) return;
    const previous = this.chains.get(deviceId) ?? Promise.resolve();
    const next = previous
      .then(() => (kind === 'status' ? this.onStatus(deviceId, message.payload, receivedAt) : this.onAvailability(deviceId, message.payload, receivedAt)))
      .catch((error: unknown) => this.deps.log.error({ err: error, deviceId }, 'failed to handle a lock message'))
      .finally(() => {
        if (this.chains.get(deviceId) === next) this.chains.delete(deviceId);
      });
    this.chains.set(deviceId, next);
  }

  /** The last accepted row of a lock, if in memory (for load shedding: see overload/heartbeat-shedder.ts). */
  known(deviceId: string): LockRecord | undefined {
    return this.cache.get(deviceId);
  }

  /** Locks with messages waiting on the ordered (async) path: a measure of the ingest's backlog. */
  get backlog(): number {
    return this.chains.size;
  }

  /** Writes coalesced heartbeats. Called on a timer and before each offline sweep. */
  flush(): Promise<void> {
    return this.heartbeatWrites.flush();
  }

  /**
   * The synchronous path for a cached lock: drops what is invalid and coalesces
   * plain heartbeats. Returns false to hand the message to the ordered async
   * path (changes, acks, a raised counter, a signature that may be new).
   */
  private tryHeartbeat(deviceId: string, payload: Buffer, receivedAt: number): boolean {
    const lock = this.cache.get(deviceId);
    if (!lock) return false;
    const text = decodePayload(payload);
    if (text === null) {
      this.deps.dropped.drop('too_large_or_not_utf8', deviceId, lock.owner, `${payload.byteLength} bytes`);
      return true;
    }
    // A rotation under way: every message may move it along, on the ordered path.
    if (lock.rekeyId !== null) return false;
    const trusted = this.statusTrust.check(lock, text, receivedAt);
    const entry = this.cache.entryOf(deviceId);
    const handOver = () => {
      if (entry) this.handedOver.set(deviceId, { entry, lock, payload, trusted });
      return false;
    };
    if (trusted.ok === 'hello' || trusted.ok === 'reset') return handOver();
    if (!trusted.ok) {
      // A new secret, a stale status (state to change) or an ack to honour need the ordered path.
      if (trusted.reason === 'bad_signature' || trusted.reason === 'stale' || trusted.message?.ack) return handOver();
      this.deps.dropped.drop(trusted.reason, deviceId, lock.owner, trusted.detail);
      return true;
    }
    const { message } = trusted;
    if (message.ack || aboutAnUpdate(message) || bleUseOf(message) !== undefined || message.ctr > lock.commandCounter || ProtocolNegotiation.wentBackToV1(lock, message)) return handOver();
    this.clocks.accepted(lock, message, trusted.skewS);
    const patch = patchFromStatus(message, new Date(receivedAt));
    if (isVisibleChange(lock, patch)) return handOver();
    this.acceptHeartbeat(lock, message, patch, 'cached row');
    return true;
  }

  /**
   * @param source `cached row`: `lock` is the cache's entry as read this turn (the synchronous path),
   * so only the heartbeat's fields change, written in place. `fresh row`: `lock` may be newer than
   * the entry (the ordered path read the store or moved a rotation along): the whole row is cached.
   */
  private acceptHeartbeat(lock: LockRecord, message: AnyStatus, patch: ReturnType<typeof patchFromStatus>, source: 'cached row' | 'fresh row'): void {
    this.heartbeats.inc();
    this.deps.diagnostics?.statusAccepted(lock.deviceId, message, patch.lastSeen ?? new Date(this.now()));
    const lastSeen = patch.lastSeen ?? null;
    const rssi = patch.rssi ?? null;
    const battery = patch.battery ?? null;
    this.heartbeatWrites.set({ deviceId: lock.deviceId, boot: message.boot, seq: message.seq, ts: message.ts, patch: { lastSeen, rssi, battery } });
    // On the async path the row may have been forgotten meanwhile (rotation, removal, resync):
    // caching it again would bring an old secret back.
    if (this.cache.sealedSecretOf(lock.deviceId) !== lock.secretSealed) return;
    // Literals, not spreads: on the commonest message V8's object spread cost more than the rest (bench/README.md, "Ingest").
    const fields = { lastSeen, rssi, battery, lastBoot: message.boot, lastSeq: message.seq, lastTs: message.ts, commandCounter: Math.max(lock.commandCounter, message.ctr) };
    if (source === 'cached row') this.cache.heartbeat(lock.deviceId, fields);
    else this.cache.set({ ...lock, ...fields });
  }

  private async onStatus(deviceId: string, payload: Buffer, receivedAt: number): Promise<void> {
    const { dropped } = this.deps;
    const handed = this.handedOver.get(deviceId);
    this.handedOver.delete(deviceId);
    const checked = handed?.payload === payload && handed.entry === this.cache.entryOf(deviceId) ? handed : undefined;
    const text = decodePayload(payload);
    const lock = checked?.lock ?? (await this.cache.read(deviceId));
    if (!lock) return dropped.drop('unknown_device', deviceId, null);
    if (text === null) return dropped.drop('too_large_or_not_utf8', deviceId, lock.owner, `${payload.byteLength} bytes`);
    const { lock: trustedRow, trusted } = await this.trustWithFreshSecret(lock, text, receivedAt, checked?.trusted);
    let current = trustedRow.rekeyId !== null ? await this.followRotation(trustedRow, trusted) : trustedRow;
    if (trusted.ok === 'hello') {
      const hello = trusted.message;
      const booting = isNewer(hello.boot, hello.seq, current) && !checkFreshness(hello.ts, receivedAt, this.deps.maxSkewS).fresh;
      const welcomed = await this.deps.negotiation.onHello(current, hello);
      if (welcomed !== current) await this.rememberAfterAwaits(welcomed);
      if (booting) await this.clocks.outOfSync(welcomed, receivedAt, (row) => this.cache.remember(row));
      return;
    }
    if (trusted.ok === 'reset') {
      this.cache.delete(deviceId);
      await this.deps.onFactoryReset?.(current);
      return;
    }
    if (!trusted.ok) {
      dropped.drop(trusted.reason, deviceId, current.owner, trusted.detail);
      if (trusted.reason === 'replay' && trusted.fresh && trusted.message) {
        await this.completeAck(current, trusted.message);
        // Like an ack: a fresh, signed report that lost the ordering race (another replica took a later status) stands.
        if (aboutAnUpdate(trusted.message)) await this.deps.firmwareUpdates?.statusAccepted(current, trusted.message);
        const use = bleUseOf(trusted.message);
        if (use !== undefined) await this.deps.bleUses?.reported(current, use, receivedAt);
      }
      const { ack } = trusted.message ?? {};
      // A cfg id is new at every send, so only the lock can have acked the one recorded: its first
      // answer counts even from a lock without the time yet (ts 0 right after a reboot); audited once.
      if (ack && LockConfig.answers(ack) && (await this.deps.settingsAcks?.acked(current, ack))) await this.deps.lockConfig.acked(current, ack);
      // Like a cfg: a list id is new at every send, so only the lock can have acked it (ackList is once).
      if (answersBlerev(ack)) await this.deps.bleRevocations?.acked(current, ack);
      if (trusted.reason === 'stale' && trusted.message) await this.clocks.stale(current, trusted.message, receivedAt, (row) => this.cache.remember(row));
      return;
    }
    const { message } = trusted;
    if (ProtocolNegotiation.wentBackToV1(current, message)) {
      current = await this.deps.negotiation.backToV1(current, message.boot);
      this.cache.remember(current);
    }
    if (message.ctr > current.commandCounter) await this.deps.store.locks.raiseCounter(deviceId, message.ctr);
    this.clocks.accepted(current, message, trusted.skewS);
    const patch = withChangeTime(current, patchFromStatus(message, new Date(receivedAt)));
    if (aboutAnUpdate(message)) await this.deps.firmwareUpdates?.statusAccepted(current, message);
    const use = bleUseOf(message);
    if (use !== undefined) await this.deps.bleUses?.reported(current, use, receivedAt);
    if (!message.ack && !isVisibleChange(current, patch)) return this.acceptHeartbeat(current, message, patch, 'fresh row');
    await this.applyChange(current, message, patch);
  }

  private async applyChange(before: LockRecord, message: AnyStatus, patch: ReturnType<typeof patchFromStatus>): Promise<void> {
    const { deviceId } = before;
    this.heartbeatWrites.delete(deviceId);
    // When the door opened and the bolt was unlocked, for the time-based alerts (alerts/alert-sweep.ts).
    const stored = { ...patch, ...sinceFields(before, patch, patch.lastSeen ?? new Date(this.now())) };
    const updated = await this.deps.store.locks.applyStatus({ deviceId, boot: message.boot, seq: message.seq, ts: message.ts, patch: stored });
    if (!updated) {
      this.cache.delete(deviceId); // another replica accepted a newer one: re-read next time
      this.deps.dropped.drop('replay', deviceId, before.owner, `boot ${message.boot} seq ${message.seq}`);
      return this.completeAck(before, message); // only the ordering was lost: the lock's answer stands
    }
    this.deps.metrics.mqttAccepted.inc({ kind: 'change' });
    this.cache.set(updated);
    this.deps.diagnostics?.statusAccepted(deviceId, message, updated.lastSeen ?? new Date(this.now()));
    // Announce first (people are waiting on these), then write the audit trail. The subscribers'
    // delivery (GraphQL execution, WebSocket write) runs in microtasks: let it finish before the
    // writes below, which would otherwise interleave with it (bench/roundtrip-processes.mjs).
    if (isVisibleChange(before, patch)) {
      this.deps.events.publish('lock.changed', updated);
      await afterPendingDeliveries();
    }
    if (message.ack && LockConfig.answers(message.ack)) {
      await this.deps.lockConfig.acked(updated, message.ack);
      await this.deps.settingsAcks?.acked(updated, message.ack);
    } else if (answersBlerev(message.ack)) await this.deps.bleRevocations?.acked(updated, message.ack);
    else if (message.ack && !KeyRotation.answers(message.ack)) await this.deps.commands.completeFromAck(deviceId, updated.owner, message.ack);
    const { audit } = this.deps;
    if (before.state !== 'AVAILABLE') {
      await audit.record({ actor: null, action: 'lock.online', deviceId, result: 'AVAILABLE', detail: null }, updated.owner);
    }
    if (before.status !== updated.status) {
      await audit.record({ actor: null, action: 'lock.status', deviceId, result: updated.status, detail: updated.issue }, updated.owner, updated);
    }
    // Once as it becomes low (heartbeats within a band are not visible changes, so no repeats).
    if (batteryIsLow(updated) && !batteryIsLow(before)) {
      await audit.record({ actor: null, action: 'lock.batteryLow', deviceId, result: updated.power === 'LOW' ? 'LOW' : 'BATTERY', detail: updated.battery === null ? null : `${updated.battery}%` }, updated.owner);
    }
    // Not cached from its answer: what it changes it announces (lock.changed, followed above), and
    // otherwise it answers the row as of before the awaits above, which would undo in the cache a
    // change made meanwhile (a rotation started: its ack would then be dropped unread).
    if (this.deps.alerts) await this.deps.alerts.evaluate(updated);
  }

  /**
   * Moves an over-the-air rotation along (key-rotation.ts): any message signed with the current
   * secret while the previous one is kept proves the switch; a signed rekey ack (even in a replayed
   * or stale status: a rekey id is new at every rotation, so only the lock can have acked it) commits.
   */
  private async followRotation(lock: LockRecord, trusted: Trusted): Promise<LockRecord> {
    const { rotation } = this.deps;
    if (!rotation || trusted.message === undefined) return lock;
    let current = trusted.underOther ? lock : await rotation.proved(lock);
    const { message } = trusted;
    if (message.type === 'status' && message.ack && KeyRotation.answers(message.ack)) {
      current = await rotation.acked(current, message.ack, { boot: message.boot, seq: message.seq });
    }
    if (current !== lock) await this.rememberAfterAwaits(current);
    return current;
  }

  /**
   * Caches the row of a step that awaited after its write (a welcome, a rotation's broker move): that
   * answer is the row as of the write, and caching it could undo a change made meanwhile (a rotation
   * started, then its ack dropped unread). Read again instead: these steps are rare, reads cheap.
   */
  private async rememberAfterAwaits(row: LockRecord): Promise<void> {
    this.cache.remember((await this.deps.store.locks.findByDeviceId(row.deviceId)) ?? row);
  }

  /** Completes the command a signed, fresh status acks even when the status lost the (boot, seq) race. */
  private async completeAck(lock: LockRecord, message: AnyStatus): Promise<void> {
    if (message.ack && !LockConfig.answers(message.ack) && !answersBlerev(message.ack)) await this.deps.commands.completeFromAck(lock.deviceId, lock.owner, message.ack);
  }

  private async onAvailability(deviceId: string, payload: Buffer, receivedAt: number): Promise<void> {
    const text = payload.toString('utf8');
    if (text === 'online' || text === '') return; // only a valid signed status makes a lock Available
    const lock = await this.deps.store.locks.findByDeviceId(deviceId);
    if (!lock) return this.deps.dropped.drop('unknown_device', deviceId, null);
    if (text !== 'offline') return this.deps.dropped.drop('bad_availability', deviceId, lock.owner, text.slice(0, 32));
    if (lock.state !== 'AVAILABLE') return;
    this.heartbeatWrites.delete(deviceId);
    // Conditional and atomic: a status another replica accepted after this will arrived wins.
    const updated = await this.deps.store.locks.markUnavailableIfStale(deviceId, new Date(receivedAt), CONNECTION_LOST);
    if (!updated) return;
    this.cache.remember(updated);
    await this.deps.audit.record({ actor: null, action: 'lock.offline', deviceId, result: 'UNAVAILABLE', detail: CONNECTION_LOST }, updated.owner);
    this.deps.events.publish('lock.changed', updated);
  }

  /**
   * The trust checks, retried once on a bad signature if another replica rotated the secret since we cached the row.
   * @param checked the verdict on this message against `lock`, when tryHeartbeat reached it already
   */
  private async trustWithFreshSecret(lock: LockRecord, text: string, receivedAt: number, checked?: Trusted): Promise<{ lock: LockRecord; trusted: Trusted }> {
    const trusted = checked ?? this.statusTrust.check(lock, text, receivedAt);
    if (trusted.ok !== false || trusted.reason !== 'bad_signature') return { lock, trusted };
    const fresh = await this.deps.store.locks.findByDeviceId(lock.deviceId);
    if (!fresh || fresh.secretSealed === lock.secretSealed) return { lock, trusted };
    this.cache.remember(fresh);
    return { lock: fresh, trusted: this.statusTrust.check(fresh, text, receivedAt) };
  }
}
