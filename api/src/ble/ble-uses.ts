/**
 * Offline uses a v3 lock reports in the `ble` member of a signed status (`<kid>.<L|U>.<unix s>`):
 * audited as `lock.unlock` / `lock.lock` by the key's user, source BLUETOOTH, at the time the lock
 * reports, once per (lock, kid, op, time) however often the lock repeats it. An unknown kid (not
 * issued for this lock) is audited as `lock.ble_unknown_key` and counted.
 */
import type { AuditService } from '../audit/audit.service.js';
import { parseBleUse } from '../devices/protocol/messages-v3-ble.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/ports.js';
import type { LockRecord } from '../store/records.js';

export interface BleUsesDeps {
  store: Store;
  audit: AuditService;
  metrics: Metrics;
}

export class BleUses {
  constructor(private readonly deps: BleUsesDeps) {}

  /** `text` passed the status schema (BLE_USE_PATTERN); `receivedAt` is when the status arrived. */
  async reported(lock: LockRecord, text: string, receivedAt: number): Promise<void> {
    const use = parseBleUse(text);
    if (!use) return;
    const { store, audit } = this.deps;
    const op = use.op === 'LOCK' ? 'L' : 'U';
    if (!(await store.offlineKeys.recordUse(lock.deviceId, use.kid, op, use.at))) return;
    const key = await store.offlineKeys.find(use.kid);
    const at = new Date(use.at * 1000);
    const reported = `reported ${new Date(receivedAt).toISOString()}`;
    if (!key || key.deviceId !== lock.deviceId) {
      this.deps.metrics.bleUnknownKeys.inc();
      await audit.record({ actor: null, action: 'lock.ble_unknown_key', deviceId: lock.deviceId, result: use.op, detail: `key ${use.kid}, ${reported}`, at }, lock.owner);
      return;
    }
    const user = await store.users.findById(key.userId);
    const actor = user?.username ?? `deleted user ${key.userId}`;
    await audit.record({ actor, action: use.op === 'LOCK' ? 'lock.lock' : 'lock.unlock', deviceId: lock.deviceId, result: 'BLUETOOTH', detail: `key ${use.kid}, ${reported}`, at }, lock.owner);
  }
}
