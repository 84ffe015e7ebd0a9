/** Row mapping for `locks`, kept apart from the queries so both stay readable. */
import type { BoltMotion, ChangeSource, DoorState, LockPatch, LockRecord, LockState, LockStatus, PowerSource, ProtocolVersion } from '../records.js';
import { alertsFromJson } from '../alerts-json.js';
import { fromMsOrNull } from './sqlite-helpers.js';
import { foldName } from './name-folding.js';

export interface LockRow {
  device_id: string;
  name: string;
  owner: string;
  status: LockStatus;
  state: LockState;
  last_seen: number | null;
  issue: string | null;
  battery: number | null;
  power: PowerSource | null;
  heartbeat_s: number | null;
  rssi: number | null;
  firmware: string | null;
  secret_sealed: string;
  command_counter: number;
  last_boot: number;
  last_seq: number;
  last_ts: number;
  protocol_version: ProtocolVersion;
  protocol_boot: number;
  tls_required: 0 | 1;
  rekey_id: string | null;
  secret_pending_sealed: string | null;
  secret_previous_sealed: string | null;
  rekey_started_at: number | null;
  door: DoorState | null;
  bolt_motion: BoltMotion | null;
  last_change_source: ChangeSource | null;
  last_changed_by: string | null;
  last_changed_at: number | null;
  door_open_since: number | null;
  unlocked_since: number | null;
  alert_door_ajar_minutes: number | null;
  alert_unlocked_minutes: number | null;
  /** JSON: [{ kind, since (ms) }] */
  alerts: string;
  time_zone: string;
  created_at: number;
  updated_at: number;
}

export type SqlParams = Record<string, string | number | null>;

export function toLock(row: LockRow): LockRecord {
  return {
    deviceId: row.device_id,
    name: row.name,
    owner: row.owner,
    status: row.status,
    state: row.state,
    lastSeen: fromMsOrNull(row.last_seen),
    issue: row.issue,
    battery: row.battery,
    power: row.power,
    heartbeatS: row.heartbeat_s ?? null,
    rssi: row.rssi,
    firmware: row.firmware,
    secretSealed: row.secret_sealed,
    commandCounter: row.command_counter,
    lastBoot: row.last_boot,
    lastSeq: row.last_seq,
    lastTs: row.last_ts,
    protocolVersion: row.protocol_version,
    protocolBoot: row.protocol_boot,
    tlsRequired: row.tls_required === 1,
    rekeyId: row.rekey_id,
    secretPendingSealed: row.secret_pending_sealed,
    secretPreviousSealed: row.secret_previous_sealed,
    rekeyStartedAt: fromMsOrNull(row.rekey_started_at),
    door: row.door,
    boltMotion: row.bolt_motion,
    lastChangeSource: row.last_change_source,
    lastChangedBy: row.last_changed_by,
    lastChangedAt: fromMsOrNull(row.last_changed_at),
    doorOpenSince: fromMsOrNull(row.door_open_since),
    unlockedSince: fromMsOrNull(row.unlocked_since),
    alertDoorAjarMinutes: row.alert_door_ajar_minutes,
    alertUnlockedMinutes: row.alert_unlocked_minutes,
    alerts: alertsFromJson(row.alerts),
    timeZone: row.time_zone,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

const PATCH_COLUMNS = {
  name: 'name',
  owner: 'owner',
  status: 'status',
  state: 'state',
  lastSeen: 'last_seen',
  issue: 'issue',
  battery: 'battery',
  power: 'power',
  heartbeatS: 'heartbeat_s',
  rssi: 'rssi',
  firmware: 'firmware',
  secretSealed: 'secret_sealed',
  rekeyId: 'rekey_id',
  secretPendingSealed: 'secret_pending_sealed',
  secretPreviousSealed: 'secret_previous_sealed',
  rekeyStartedAt: 'rekey_started_at',
  protocolVersion: 'protocol_version',
  protocolBoot: 'protocol_boot',
  tlsRequired: 'tls_required',
  door: 'door',
  boltMotion: 'bolt_motion',
  lastChangeSource: 'last_change_source',
  lastChangedBy: 'last_changed_by',
  lastChangedAt: 'last_changed_at',
  doorOpenSince: 'door_open_since',
  unlockedSince: 'unlocked_since',
  alertDoorAjarMinutes: 'alert_door_ajar_minutes',
  alertUnlockedMinutes: 'alert_unlocked_minutes',
  timeZone: 'time_zone',
} as const satisfies Record<keyof Required<LockPatch>, string>;

const PATCH_KEYS = Object.keys(PATCH_COLUMNS) as (keyof LockPatch)[];

/**
 * The SET clause for exactly the columns a patch carries (a patch may set a column to null, so a
 * key present with `undefined` is absent). SQLite rewrites an index only when an assignment names
 * one of its columns, so a status update leaves the owner and name indexes alone: one SET clause
 * that assigned every column (most to itself) made each status write about twice as dear
 * (bench/README.md, "Command round trip"). `key` names the shape, for a statement cache.
 */
export function patchSet(patch: LockPatch): { key: string; assignments: string[] } {
  const columns: string[] = PATCH_KEYS.filter((key) => patch[key] !== undefined).map((key) => PATCH_COLUMNS[key]);
  // Written with the name, never on its own (name-folding.ts).
  if (patch.name !== undefined) columns.push('name_folded');
  return { key: columns.join(','), assignments: columns.map((column) => `${column} = @${column}`) };
}

/** The values of the columns `patchSet` assigns, as SQLite stores them. */
export function patchParams(patch: LockPatch): SqlParams {
  const params: SqlParams = {};
  for (const key of PATCH_KEYS) {
    const value = patch[key];
    if (value === undefined) continue;
    params[PATCH_COLUMNS[key]] = value instanceof Date ? value.getTime() : typeof value === 'boolean' ? Number(value) : value;
  }
  if (patch.name !== undefined) params.name_folded = foldName(patch.name);
  return params;
}

