/**
 * The lock's side of an update, as the api hears it: the `upd` member of v3 statuses moves the
 * lock's update record (only for its current update id, never out of a final state), audited as
 * `lock.firmwareUpdate` and announced on the lockChanged path so the app follows it live.
 */
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import type { StatusMessageV2 } from '../devices/protocol/messages-v2.js';
import type { UpdProgress } from '../devices/protocol/messages-v3-update.js';
import type { EventBus } from '../events/events.js';
import type { LockFirmwareUpdateRecord, LockUpdateState } from '../store/firmware-records.js';
import type { Store } from '../store/ports.js';
import type { LockRecord } from '../store/records.js';

export interface UpdateIngestDeps {
  store: Store;
  audit: AuditService;
  events: EventBus;
  log: Logger;
  now?: () => number;
}

/** The order an update goes through; every final state ranks last. */
const STATE_ORDER: readonly LockUpdateState[] = ['SENT', 'DOWNLOADING', 'VERIFYING', 'REBOOTING', 'TRIAL', 'CONFIRMED', 'FAILED', 'ROLLED_BACK', 'TIMED_OUT'];

/** Update ids start with `upd-`; command ids are UUIDs and cfg ids have their own prefix. */
export function isUpdateId(id: string): boolean {
  return id.startsWith('upd-');
}

export class FirmwareUpdateIngest {
  private readonly now: () => number;

  constructor(private readonly deps: UpdateIngestDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * An accepted v3 status (the status ingest checked its signature, order and freshness): its ack
   * of an `update` and its `upd` move the lock's update record.
   */
  async statusAccepted(lock: LockRecord, status: Pick<StatusMessageV2, 'ack' | 'upd'>): Promise<void> {
    const { ack, upd } = status;
    if (ack && isUpdateId(ack.id)) await this.acked(lock, ack.id, ack);
    if (upd) await this.progress(lock, upd);
  }

  /** Applies one `upd`; null when it is not the lock's current update or that one is final already. */
  async progress(lock: LockRecord, upd: UpdProgress): Promise<LockFirmwareUpdateRecord | null> {
    return this.move(lock, upd.id, upd.state, upd.reason ?? null);
  }

  /** The lock's answer to the `update` itself: `rejected` before any download ends the update as FAILED. */
  async acked(lock: LockRecord, updateId: string, ack: { result: string; reason?: string }): Promise<LockFirmwareUpdateRecord | null> {
    if (ack.result === 'ok') return null;
    return this.move(lock, updateId, 'FAILED', ack.reason ?? ack.result);
  }

  async move(lock: LockRecord, updateId: string, state: LockUpdateState, reason: string | null): Promise<LockFirmwareUpdateRecord | null> {
    const before = await this.deps.store.firmware.findLockUpdate(lock.deviceId);
    // Reports may arrive out of order (replicas, a heartbeat overtaking): an update only moves forward.
    if (!before || before.updateId !== updateId || STATE_ORDER.indexOf(state) <= STATE_ORDER.indexOf(before.state)) return null;
    const moved = await this.deps.store.firmware.progressLockUpdate(lock.deviceId, updateId, state, reason, new Date(this.now()));
    if (!moved) return null;
    await this.deps.audit.record(
      { actor: null, action: 'lock.firmwareUpdate', deviceId: lock.deviceId, result: state, detail: `${moved.releaseVersion}${reason ? `: ${reason}` : ''}` },
      lock.owner,
    );
    // The row as stored now, not the caller's copy: caches that follow lockChanged must not go back.
    const current = await this.deps.store.locks.findByDeviceId(lock.deviceId);
    if (current) this.deps.events.publish('lock.changed', current);
    return moved;
  }
}
