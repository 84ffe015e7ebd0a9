import type { StatusMessage } from './protocol/messages.js';
import type { LockPatch, LockRecord } from '../store/records.js';

/** Battery bands a person cares about; a change of band is news, 87 → 86 % is not. */
export function batteryBand(battery: number | null | undefined): string {
  if (battery === null || battery === undefined) return 'none';
  if (battery <= 10) return 'critical';
  if (battery <= 25) return 'low';
  return 'ok';
}

/** The lock fields a valid status sets. */
export function patchFromStatus(message: StatusMessage, receivedAt: Date): LockPatch {
  return {
    status: message.status,
    state: 'AVAILABLE',
    lastSeen: receivedAt,
    issue: message.issue ? message.issue : null,
    battery: message.battery ?? null,
    power: message.power ?? null,
    rssi: message.rssi ?? null,
    firmware: message.fw ?? null,
  };
}

/**
 * Whether a viewer would see a difference (status, availability, issue,
 * battery band, power, firmware). If not, the status is only a heartbeat and
 * its write can be coalesced with others.
 */
export function isVisibleChange(lock: LockRecord, patch: LockPatch): boolean {
  return (
    lock.status !== patch.status ||
    lock.state !== patch.state ||
    (lock.issue ?? null) !== (patch.issue ?? null) ||
    batteryBand(lock.battery) !== batteryBand(patch.battery) ||
    lock.power !== patch.power ||
    lock.firmware !== patch.firmware
  );
}

export function isNewer(boot: number, seq: number, lock: Pick<LockRecord, 'lastBoot' | 'lastSeq'>): boolean {
  return boot > lock.lastBoot || (boot === lock.lastBoot && seq > lock.lastSeq);
}
