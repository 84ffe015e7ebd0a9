/**
 * The wire side of a lock's behaviour settings (docs/protocol.md §11.7): a
 * signed v2 `cfg` on the lock's cmd topic, its `ctr` taken from the command
 * counter (so the lock's replay rule covers it), and the lock's ack audited.
 * Which settings a lock should have, and the owner's mutation, are not here.
 */
import { randomUUID } from 'node:crypto';
import type { LockRecord } from '../store/records.js';
import type { AckMessage } from './protocol/messages.js';
import type { CfgMessage } from './protocol/messages-v2.js';
import { cfgPayload } from './protocol/server-messages.js';
import { usesPurposeKeys } from './protocol/versions.js';
import type { AuditedSenderDeps } from './signed-sender-deps.js';

/** Cfg ids start with this; command ids are UUIDs, so an ack says which of the two it answers. */
export const CFG_ID_PREFIX = 'cfg-';

export type LockSettings = Pick<CfgMessage, 'relock' | 'boot' | 'lockOpen'>;

export class LockNotV2Error extends Error {
  constructor(deviceId: string) {
    super(`Lock "${deviceId}" does not speak protocol v2: it has no settings to send.`);
  }
}

export type LockConfigDeps = AuditedSenderDeps;

export class LockConfig {
  private readonly now: () => number;

  constructor(private readonly deps: LockConfigDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** A new cfg id: a caller that must record it before the lock can answer takes one first. */
  static newId(): string {
    return `${CFG_ID_PREFIX}${randomUUID()}`;
  }

  /** Signs and sends the settings; resolves with the cfg id the lock's ack will name. */
  async send(lock: LockRecord, settings: LockSettings, actor: string | null, id = LockConfig.newId()): Promise<string> {
    const version = lock.protocolVersion;
    if (!usesPurposeKeys(version)) throw new LockNotV2Error(lock.deviceId);
    const ctr = await this.deps.store.locks.allocateCounter(lock.deviceId);
    if (ctr === null) throw new Error(`lock ${lock.deviceId} is gone`);
    const keys = this.deps.keys.signingKeys(lock.deviceId, lock.secretSealed);
    const payload = cfgPayload(keys, version, { dev: lock.deviceId, id, ctr, ts: Math.floor(this.now() / 1000), ...settings });
    await this.deps.link.publish(this.deps.topics.of(lock.deviceId, 'cmd'), payload, { qos: 1 });
    const detail = `${id}: relock ${settings.relock} s, boot ${settings.boot}, lockOpen ${settings.lockOpen}`;
    await this.deps.audit.record({ actor, action: 'lock.configure', deviceId: lock.deviceId, result: 'SENT', detail }, lock.owner);
    return id;
  }

  /** Whether an ack answers a cfg rather than a command. */
  static answers(ack: AckMessage): boolean {
    return ack.id.startsWith(CFG_ID_PREFIX);
  }

  /** Audits the lock's answer to a cfg (from an accepted status only: a replay would repeat it). */
  async acked(lock: LockRecord, ack: AckMessage): Promise<void> {
    const detail = ack.reason ? `${ack.id}: ${ack.reason}` : ack.id;
    await this.deps.audit.record({ actor: null, action: 'lock.configured', deviceId: lock.deviceId, result: ack.result, detail }, lock.owner);
  }
}
