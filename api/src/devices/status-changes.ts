import type { StatusMessage } from './protocol/messages.js';
import type { StatusMessageV2 } from './protocol/messages-v2.js';
import type { LockPatch, LockRecord } from '../store/records.js';

/** Battery bands a person cares about; a change of band is news, 87 → 86 % is not. */
export function batteryBand(battery: number | null | undefined): string {
  if (battery === null || battery === undefined) return 'none';
  if (battery <= 10) return 'critical';
  if (battery <= 25) return 'low';
  return 'ok';
}

/** The battery needs changing: the lock says so (power LOW) or its charge is in the low bands. */
export function batteryIsLow(lock: Pick<LockRecord, 'battery' | 'power'>): boolean {
  return lock.power === 'LOW' || ['low', 'critical'].includes(batteryBand(lock.battery));
}

export type AnyStatus = StatusMessage | StatusMessageV2;

/**
 * The lock fields a valid status sets. A v2 status also sets the door and what
 * moved the bolt (so does v3's, the same members); while the bolt moves (LOCKING/UNLOCKING) `status` keeps the
 * last settled position and `boltMotion` says where it is going. A v1 status
 * leaves the v2 fields alone (a v2 lock speaks v1 until its welcome).
 */
export function patchFromStatus(message: AnyStatus, receivedAt: Date): LockPatch {
  // Built field by field, not spread: V8 took microseconds per spread here, on every heartbeat
  // (bench/README.md, "Ingest: the cost of one heartbeat").
  const patch: LockPatch = {
    state: 'AVAILABLE',
    lastSeen: receivedAt,
    issue: message.issue ? message.issue : null,
    battery: message.battery ?? null,
    power: message.power ?? null,
    // Absent (and always in v1/v2): the mains rule. Left out clears it, like the telemetry.
    heartbeatS: (message.v === 1 ? undefined : message.hb) ?? null,
    rssi: message.rssi ?? null,
    firmware: message.fw ?? null,
  };
  if (message.v === 1) patch.status = message.status;
  else setV2Fields(patch, message);
  return patch;
}

function setV2Fields(patch: LockPatch, message: StatusMessageV2): void {
  const { status } = message;
  if (status === 'LOCKING' || status === 'UNLOCKING') patch.boltMotion = status;
  else {
    patch.status = status;
    patch.boltMotion = null;
  }
  patch.door = message.door;
  patch.lastChangeSource = message.src;
  patch.lastChangedBy = message.cid ?? null;
}

/**
 * Stamps `lastChangedAt` (from `lastSeen`, our clock) when the settled bolt or what moved it
 * differs from the row: "Locked by hand · 2 min ago". A bolt in motion has not settled yet.
 */
export function withChangeTime(lock: LockRecord, patch: LockPatch): LockPatch {
  if (patch.boltMotion || !patch.lastSeen) return patch;
  const moved = patch.status !== undefined && patch.status !== lock.status;
  const source = patch.lastChangeSource !== undefined && (patch.lastChangeSource !== lock.lastChangeSource || (patch.lastChangedBy ?? null) !== lock.lastChangedBy);
  return moved || source ? { ...patch, lastChangedAt: patch.lastSeen } : patch;
}

/** A v2 field the patch carries and that differs from the row. */
function changesV2(lock: LockRecord, patch: LockPatch): boolean {
  return (['door', 'boltMotion', 'lastChangeSource', 'lastChangedBy'] as const).some((field) => patch[field] !== undefined && patch[field] !== lock[field]);
}

/**
 * Whether a viewer would see a difference (status, availability, issue,
 * battery band, power, heartbeat interval, firmware). If not, the status is only a heartbeat and
 * its write can be coalesced with others.
 */
export function isVisibleChange(lock: LockRecord, patch: LockPatch): boolean {
  return (
    (patch.status !== undefined && lock.status !== patch.status) ||
    lock.state !== patch.state ||
    (lock.issue ?? null) !== (patch.issue ?? null) ||
    batteryBand(lock.battery) !== batteryBand(patch.battery) ||
    lock.power !== patch.power ||
    // Not seen, but the offline sweep reads it: a coalesced write would judge the lock on the old interval.
    (patch.heartbeatS !== undefined && lock.heartbeatS !== patch.heartbeatS) ||
    lock.firmware !== patch.firmware ||
    changesV2(lock, patch)
  );
}

export function isNewer(boot: number, seq: number, lock: Pick<LockRecord, 'lastBoot' | 'lastSeq'>): boolean {
  return boot > lock.lastBoot || (boot === lock.lastBoot && seq > lock.lastSeq);
}
