/**
 * The lock's side of an update, as the api hears it: the `upd` member of v3 statuses moves the
 * lock's update record (only for its current update id, never out of a final state), audited as
 * `lock.firmwareUpdate` and announced on the lockChanged path so the app follows it live.
 */
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import type { DeviceKeys } from '../devices/device-keys.js';
import type { DroppedMessages } from '../devices/dropped-messages.js';
import { verifyStatusV3, type UpdProgress } from '../devices/protocol/messages-v3-update.js';
import type { EventBus } from '../events/events.js';
import type { LockFirmwareUpdateRecord, LockUpdateState } from '../store/firmware-records.js';
import type { Store } from '../store/ports.js';
import type { LockRecord } from '../store/records.js';

export interface UpdateIngestDeps {
  store: Store;
  keys: DeviceKeys;
  audit: AuditService;
  events: EventBus;
  dropped: DroppedMessages;
  log: Logger;
  now?: () => number;
}

export class FirmwareUpdateIngest {
  private readonly now: () => number;

  constructor(private readonly deps: UpdateIngestDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * A v3 status payload from `deviceId`'s status topic: signature with its `status` key, closed
   * schema, then its `upd`. Until protocol v3 negotiation is in the status ingest (which will
   * also order it by (boot, seq)), this is the entry the simulator's v3 statuses reach.
   * Returns whether an update record moved.
   */
  async acceptStatusV3(deviceId: string, payload: string): Promise<boolean> {
    const lock = await this.deps.store.locks.findByDeviceId(deviceId);
    if (!lock) return false;
    const statusKey = this.deps.keys.purpose(deviceId, lock.secretSealed, 'status');
    const result = verifyStatusV3(statusKey, payload, deviceId);
    if (result.verdict !== 'valid') {
      this.deps.dropped.drop(result.verdict, deviceId, lock.owner, result.detail);
      return false;
    }
    const { ack, upd } = result.message;
    const acked = ack?.id.startsWith('upd-') ? await this.acked(lock, ack.id, ack) : null;
    const moved = upd ? await this.progress(lock, upd) : null;
    return acked !== null || moved !== null;
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
    if (!before || before.updateId !== updateId || before.state === state) return null;
    const moved = await this.deps.store.firmware.progressLockUpdate(lock.deviceId, updateId, state, reason, new Date(this.now()));
    if (!moved) return null;
    await this.deps.audit.record(
      { actor: null, action: 'lock.firmwareUpdate', deviceId: lock.deviceId, result: state, detail: `${moved.releaseVersion}${reason ? `: ${reason}` : ''}` },
      lock.owner,
    );
    this.deps.events.publish('lock.changed', lock);
    return moved;
  }
}
