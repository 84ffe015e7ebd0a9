/**
 * Sends a lock the signed v3 `update` (cmd topic, QoS 1, the lock's `cmd` key, `ctr` from the
 * same counter as commands, so the lock's replay rule covers it like a `cfg`).
 */
import { updatePayload } from '../devices/protocol/messages-v3-update.js';
import type { SignedSenderDeps } from '../devices/signed-sender-deps.js';
import type { FirmwareReleaseRecord } from '../store/firmware-records.js';
import type { LockRecord } from '../store/records.js';

export type UpdateSenderDeps = SignedSenderDeps;

export class UpdateSender {
  private readonly now: () => number;

  constructor(private readonly deps: UpdateSenderDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** @throws when no counter could be allocated (lock gone) or the publish failed */
  async send(lock: LockRecord, updateId: string, release: FirmwareReleaseRecord, url: string): Promise<void> {
    const ctr = await this.deps.store.locks.allocateCounter(lock.deviceId);
    if (ctr === null) throw new Error(`lock ${lock.deviceId} is gone`);
    const cmdKey = this.deps.keys.signingKeys(lock.deviceId, lock.secretSealed).cmd();
    const payload = updatePayload(cmdKey, { dev: lock.deviceId, id: updateId, ctr, ts: Math.floor(this.now() / 1000), url, man: release.manifest, msig: release.msig });
    await this.deps.link.publish(this.deps.topics.of(lock.deviceId, 'cmd'), payload, { qos: 1 });
  }
}
