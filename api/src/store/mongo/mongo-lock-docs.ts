/** Mapping between lock records and `locks` documents in the seed system's vocabulary. */
import type { BoltMotion, ChangeSource, DoorState, LockPatch, LockRecord, LockState, LockStatus, PowerSource } from '../records.js';
import { alertsFromJson } from '../alerts-json.js';
import { DEFAULT_DOOR_AJAR_MINUTES, NEEDS_PROVISIONING_ISSUE } from '../records.js';
import { seedDate } from './seed-dates.js';
import type { LockDoc } from './mongo-models.js';

const STATUS_TO_DOC: Record<LockStatus, string> = {
  LOCKED: 'Locked',
  UNLOCKED: 'Unlocked',
  JAMMED: 'Jammed',
  UNKNOWN: 'Unknown',
};
const STATE_TO_DOC: Record<LockState, string> = { AVAILABLE: 'Available', UNAVAILABLE: 'Unavailable' };
const POWER_SOURCES: readonly PowerSource[] = ['MAINS', 'BATTERY', 'LOW'];

export const AVAILABLE_DOC = STATE_TO_DOC.AVAILABLE;
export const UNAVAILABLE_DOC = STATE_TO_DOC.UNAVAILABLE;
export const UNLOCKED_DOC = STATUS_TO_DOC.UNLOCKED;
export const STATUS_LOCKED_DOC = STATUS_TO_DOC.LOCKED;

function statusOf(stored: string | undefined): LockStatus {
  const entry = Object.entries(STATUS_TO_DOC).find(([, label]) => label === stored);
  return entry ? (entry[0] as LockStatus) : 'UNKNOWN';
}

const DOOR_STATES: readonly DoorState[] = ['OPEN', 'CLOSED', 'UNKNOWN'];
const BOLT_MOTIONS: readonly BoltMotion[] = ['LOCKING', 'UNLOCKING'];
const CHANGE_SOURCES: readonly ChangeSource[] = ['REMOTE', 'MANUAL', 'AUTO', 'BLE', 'BOOT'];

/** A stored string if it is one of `allowed`, else null (documents are not schema-checked). */
function oneOf<T extends string>(allowed: readonly T[], stored: string | null | undefined): T | null {
  return allowed.find((value) => value === stored) ?? null;
}

function powerOf(stored: string | null | undefined): PowerSource | null {
  return POWER_SOURCES.find((source) => source === stored) ?? null;
}

/** Defaults let a seed document, which lacks the newer fields, map to a full record. */
export function toLock(doc: LockDoc): LockRecord {
  const createdAt = seedDate(doc.created_at) ?? doc._id.getTimestamp();
  const updatedAt = seedDate(doc.updated_at) ?? createdAt;
  // A Flask document without a secret cannot be reached until its owner issues credentials.
  const unprovisioned = !doc.secret_sealed;
  return {
    deviceId: doc.device_id,
    name: doc.name ?? doc.device_id,
    owner: doc.owner ?? '',
    status: statusOf(doc.status),
    // Only our own writes store last_seen as a date: any other value is the Flask system's, and the
    // lock has not reported to this server yet.
    state: doc.state === AVAILABLE_DOC && !unprovisioned && doc.last_seen instanceof Date ? 'AVAILABLE' : 'UNAVAILABLE',
    lastSeen: seedDate(doc.last_seen),
    issue: unprovisioned ? NEEDS_PROVISIONING_ISSUE : (doc.issue ?? null),
    battery: doc.battery ?? null,
    power: powerOf(doc.power),
    heartbeatS: typeof doc.heartbeat_s === 'number' ? doc.heartbeat_s : null,
    rssi: doc.rssi ?? null,
    firmware: doc.firmware ?? null,
    secretSealed: doc.secret_sealed ?? '',
    commandCounter: doc.command_counter ?? 0,
    lastBoot: doc.last_boot ?? 0,
    lastSeq: doc.last_seq ?? 0,
    lastTs: doc.last_ts ?? 0,
    protocolVersion: doc.protocol_version === 2 || doc.protocol_version === 3 ? doc.protocol_version : 1,
    protocolBoot: doc.protocol_boot ?? 0,
    tlsRequired: doc.tls_required === true,
    rekeyId: doc.rekey_id ?? null,
    secretPendingSealed: doc.secret_pending_sealed ?? null,
    secretPreviousSealed: doc.secret_previous_sealed ?? null,
    rekeyStartedAt: doc.rekey_started_at ?? null,
    door: oneOf(DOOR_STATES, doc.door),
    boltMotion: oneOf(BOLT_MOTIONS, doc.bolt_motion),
    lastChangeSource: oneOf(CHANGE_SOURCES, doc.last_change_source),
    lastChangedBy: doc.last_changed_by ?? null,
    lastChangedAt: doc.last_changed_at ?? null,
    // A document from before alerts: counted from its last change (late, never early), as migration 6 does.
    doorOpenSince: doc.door_open_since === undefined ? (doc.door === 'OPEN' ? updatedAt : null) : doc.door_open_since,
    unlockedSince: doc.unlocked_since === undefined ? (doc.status === STATUS_TO_DOC.UNLOCKED ? updatedAt : null) : doc.unlocked_since,
    // A seed document lacks the field: it gets the default a new lock gets (null means off).
    alertDoorAjarMinutes: doc.alert_door_ajar_minutes === undefined ? DEFAULT_DOOR_AJAR_MINUTES : doc.alert_door_ajar_minutes,
    alertUnlockedMinutes: doc.alert_unlocked_minutes ?? null,
    alerts: alertsFromJson(doc.alerts),
    timeZone: doc.time_zone ?? 'UTC',
    createdAt,
    updatedAt,
  };
}

type LockDocPatch = Partial<Omit<LockDoc, '_id' | 'device_id'>>;

/** The `$set` for a patch: only the keys the patch carries (null included). */
export function toDocPatch(patch: LockPatch): LockDocPatch {
  const set: LockDocPatch = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.owner !== undefined) set.owner = patch.owner;
  if (patch.status !== undefined) set.status = STATUS_TO_DOC[patch.status];
  if (patch.state !== undefined) set.state = STATE_TO_DOC[patch.state];
  if (patch.lastSeen !== undefined) set.last_seen = patch.lastSeen;
  if (patch.issue !== undefined) set.issue = patch.issue;
  if (patch.battery !== undefined) set.battery = patch.battery;
  if (patch.power !== undefined) set.power = patch.power;
  if (patch.heartbeatS !== undefined) set.heartbeat_s = patch.heartbeatS;
  if (patch.rssi !== undefined) set.rssi = patch.rssi;
  if (patch.firmware !== undefined) set.firmware = patch.firmware;
  if (patch.secretSealed !== undefined) set.secret_sealed = patch.secretSealed;
  if (patch.rekeyId !== undefined) set.rekey_id = patch.rekeyId;
  if (patch.secretPendingSealed !== undefined) set.secret_pending_sealed = patch.secretPendingSealed;
  if (patch.secretPreviousSealed !== undefined) set.secret_previous_sealed = patch.secretPreviousSealed;
  if (patch.rekeyStartedAt !== undefined) set.rekey_started_at = patch.rekeyStartedAt;
  if (patch.protocolVersion !== undefined) set.protocol_version = patch.protocolVersion;
  if (patch.protocolBoot !== undefined) set.protocol_boot = patch.protocolBoot;
  if (patch.tlsRequired !== undefined) set.tls_required = patch.tlsRequired;
  if (patch.door !== undefined) set.door = patch.door;
  if (patch.boltMotion !== undefined) set.bolt_motion = patch.boltMotion;
  if (patch.lastChangeSource !== undefined) set.last_change_source = patch.lastChangeSource;
  if (patch.lastChangedBy !== undefined) set.last_changed_by = patch.lastChangedBy;
  if (patch.lastChangedAt !== undefined) set.last_changed_at = patch.lastChangedAt;
  if (patch.doorOpenSince !== undefined) set.door_open_since = patch.doorOpenSince;
  if (patch.unlockedSince !== undefined) set.unlocked_since = patch.unlockedSince;
  if (patch.alertDoorAjarMinutes !== undefined) set.alert_door_ajar_minutes = patch.alertDoorAjarMinutes;
  if (patch.alertUnlockedMinutes !== undefined) set.alert_unlocked_minutes = patch.alertUnlockedMinutes;
  if (patch.timeZone !== undefined) set.time_zone = patch.timeZone;
  return set;
}

/** A new lock: never seen, so UNKNOWN and UNAVAILABLE, with counter and (boot, seq) at 0. */
export function newLockDoc(lock: { deviceId: string; name: string; owner: string; secretSealed: string }, now: Date) {
  return {
    device_id: lock.deviceId,
    name: lock.name,
    owner: lock.owner,
    status: STATUS_TO_DOC.UNKNOWN,
    state: STATE_TO_DOC.UNAVAILABLE,
    last_seen: null,
    issue: null,
    battery: null,
    power: null,
    heartbeat_s: null,
    rssi: null,
    firmware: null,
    secret_sealed: lock.secretSealed,
    command_counter: 0,
    last_boot: 0,
    last_seq: 0,
    last_ts: 0,
    protocol_version: 1,
    protocol_boot: 0,
    tls_required: false,
    door: null,
    bolt_motion: null,
    last_change_source: null,
    last_changed_by: null,
    last_changed_at: null,
    door_open_since: null,
    unlocked_since: null,
    alert_door_ajar_minutes: DEFAULT_DOOR_AJAR_MINUTES,
    alert_unlocked_minutes: null,
    alerts: '[]',
    time_zone: 'UTC',
    created_at: now,
    updated_at: now,
  };
}
