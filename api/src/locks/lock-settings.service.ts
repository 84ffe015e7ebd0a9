/**
 * The owner's side of a lock's behaviour settings (issue 10 item 4, docs/protocol.md
 * §11.7–11.8): the wanted settings are stored per lock and sent to a v2 lock as
 * a signed cfg at once when it is connected, and again after each welcome until
 * the lock acks the last one sent with `ok`. A v1 lock keeps them pending.
 */
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import { LockConfig } from '../devices/lock-config.js';
import type { AckMessage } from '../devices/protocol/messages.js';
import { MAX_RELOCK_SECONDS } from '../devices/protocol/messages-v2.js';
import { usesPurposeKeys } from '../devices/protocol/versions.js';
import { BadUserInputError } from '../errors/graphql-errors.js';
import type { EventBus } from '../events/events.js';
import type { Store } from '../store/ports.js';
import type { LockRecord, LockSettingsRecord, LockSettingsValues, UserRecord } from '../store/records.js';
import { lockNotFound } from './lock-access.js';
import type { LocksService } from './locks.service.js';

/** Where the lock is with its wanted settings, for the app to show. */
export type SettingsState = 'APPLIED' | 'PENDING' | 'REJECTED' | 'NEEDS_PROTOCOL_V2';

export interface LockSettingsView {
  lock: LockRecord;
  settings: LockSettingsRecord;
  state: SettingsState;
}

export function settingsState(lock: LockRecord, settings: LockSettingsRecord): SettingsState {
  // A lock back on v1 firmware applies no settings, whatever its v2 firmware once acked.
  if (!usesPurposeKeys(lock.protocolVersion)) return 'NEEDS_PROTOCOL_V2';
  if (settings.applied) return 'APPLIED';
  return settings.rejectedReason === null ? 'PENDING' : 'REJECTED';
}

/** The GraphQL field each value comes from, so a bad one is named as the client sent it. */
export function checkSettings(values: LockSettingsValues): LockSettingsValues {
  if (!Number.isInteger(values.relock) || values.relock < 0 || values.relock > MAX_RELOCK_SECONDS) {
    throw new BadUserInputError(`autoRelockSeconds must be a whole number from 0 (off) to ${MAX_RELOCK_SECONDS}.`, 'autoRelockSeconds');
  }
  return values;
}

const describe = (v: LockSettingsValues) => `relock ${v.relock} s, boot ${v.boot}, lockOpen ${v.lockOpen}`;

export interface LockSettingsDeps {
  store: Store;
  locks: LocksService;
  lockConfig: LockConfig;
  audit: AuditService;
  events: EventBus;
  log: Logger;
}

export class LockSettingsService {
  /**
   * One delivery at a time per lock in this process: a change and a welcome racing would
   * otherwise record one cfg but publish the other's higher ctr first, so the lock would
   * reject the recorded one as a replay while holding the same settings.
   */
  private readonly deliveries = new Map<string, Promise<void>>();

  constructor(private readonly deps: LockSettingsDeps) {}

  /** The lock's wanted settings, or null when its owner never chose any (the lock uses its defaults, §11.8). */
  async get(viewer: UserRecord, deviceId: string): Promise<LockSettingsView | null> {
    const lock = await this.deps.locks.get(viewer, deviceId, 'view');
    return this.viewOf(lock);
  }

  async viewOf(lock: LockRecord): Promise<LockSettingsView | null> {
    const settings = await this.deps.store.lockSettings.find(lock.deviceId);
    return settings ? { lock, settings, state: settingsState(lock, settings) } : null;
  }

  /** Stores new wanted settings (owner or admin), audits them and sends them if the lock can take them now. */
  async set(viewer: UserRecord, deviceId: string, values: LockSettingsValues): Promise<LockSettingsView> {
    const lock = await this.deps.locks.get(viewer, deviceId, 'configure');
    const wanted = checkSettings(values);
    const saved = await this.deps.store.lockSettings.save(deviceId, wanted, viewer.username);
    if (!saved) throw lockNotFound(deviceId); // removed meanwhile
    const result = usesPurposeKeys(lock.protocolVersion) ? 'PENDING' : 'NEEDS_PROTOCOL_V2';
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.settings', deviceId, result, detail: describe(wanted) }, lock.owner);
    if (usesPurposeKeys(lock.protocolVersion) && lock.state === 'AVAILABLE') await this.deliver(lock, saved, viewer.username);
    return (await this.viewOf(lock)) ?? { lock, settings: saved, state: settingsState(lock, saved) };
  }

  /**
   * After a welcome: a v2 lock that has not applied its settings gets them again (a reboot or a
   * lost cfg), and so does one that was on v1 until now (what it applied before may be gone).
   */
  async afterWelcome(lock: LockRecord, before: LockRecord): Promise<void> {
    if (!usesPurposeKeys(lock.protocolVersion)) return;
    const settings = await this.deps.store.lockSettings.find(lock.deviceId);
    if (settings && (!settings.applied || !usesPurposeKeys(before.protocolVersion))) await this.deliver(lock, settings, null);
  }

  /** The lock's ack of a cfg: only the first answer to the last one sent for the current settings counts. Says whether it did. */
  async acked(lock: LockRecord, ack: AckMessage): Promise<boolean> {
    const answer = ack.result === 'ok' ? { ok: true as const } : { ok: false as const, reason: ack.reason ?? ack.result };
    const updated = await this.deps.store.lockSettings.markAnswered(lock.deviceId, ack.id, answer);
    // The lock's settings state is shown with the lock: tell its viewers.
    if (updated) this.deps.events.publish('lock.changed', lock);
    return updated !== null;
  }

  private deliver(lock: LockRecord, settings: LockSettingsRecord, actor: string | null): Promise<void> {
    const previous = this.deliveries.get(lock.deviceId) ?? Promise.resolve();
    // A failed delivery (its error goes to its own caller) does not stop the next one.
    const next = previous.catch(() => undefined).then(() => this.deliverNow(lock, settings, actor));
    this.deliveries.set(lock.deviceId, next);
    return next.finally(() => {
      if (this.deliveries.get(lock.deviceId) === next) this.deliveries.delete(lock.deviceId);
    });
  }

  /** Records the cfg id before sending, so an ack that comes back at once finds it. */
  private async deliverNow(lock: LockRecord, settings: LockSettingsRecord, actor: string | null): Promise<void> {
    const id = LockConfig.newId();
    if (!(await this.deps.store.lockSettings.markSent(lock.deviceId, settings.revision, id))) return; // changed since: that change sends
    try {
      await this.deps.lockConfig.send(lock, { relock: settings.relock, boot: settings.boot, lockOpen: settings.lockOpen }, actor, id);
    } catch (error) {
      // Still pending: the next welcome sends them again.
      this.deps.log.warn({ err: error, deviceId: lock.deviceId }, 'lock settings not sent');
    }
  }
}
