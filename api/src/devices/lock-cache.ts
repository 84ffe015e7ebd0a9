/**
 * The ingest's last known row per lock, kept small: on a big deployment it holds every lock that
 * talks (100,000 in bench/big-data.mjs). A `LockRecord` as read costs about 1 KB of heap, mostly
 * its seven Date objects and its own copies of strings every lock shares ("LOCKED", "UTC", the
 * firmware, the owner). Here dates are kept as epoch ms and such strings once; `get` gives a fresh
 * `LockRecord` each time (a short-lived object on the heartbeat path), so callers see no difference.
 */
import type { LockRecord } from '../store/records.js';

type DateField = 'lastSeen' | 'rekeyStartedAt' | 'lastChangedAt' | 'doorOpenSince' | 'unlockedSince' | 'createdAt' | 'updatedAt';
type Packed = Omit<LockRecord, DateField> & { [K in DateField]: number | null };

/** What a heartbeat changes in a lock's row. */
export type HeartbeatFields = Pick<LockRecord, 'lastSeen' | 'rssi' | 'battery' | 'lastBoot' | 'lastSeq' | 'lastTs' | 'commandCounter'>;

/** Fields whose values repeat across the fleet (a few states, versions, zones, owners). */
const SHARED_STRINGS = ['owner', 'status', 'state', 'power', 'firmware', 'timeZone', 'issue', 'door', 'boltMotion', 'lastChangeSource'] as const;
/** Past this many distinct values the pool stops growing (a fleet of one-lock owners): strings are then kept as they come. */
const MAX_SHARED = 10_000;

export class LockCache {
  private readonly locks = new Map<string, Packed>();
  private readonly shared = new Map<string, string>();

  get size(): number {
    return this.locks.size;
  }

  get(deviceId: string): LockRecord | undefined {
    const packed = this.locks.get(deviceId);
    return packed === undefined ? undefined : unpack(packed);
  }

  set(lock: LockRecord): void {
    // Keyed by the record's own id string: no second copy for the key.
    this.locks.set(lock.deviceId, this.pack(lock));
  }

  /**
   * The cached entry itself, as a token: the same token later means no `set` replaced the entry
   * meanwhile (`heartbeat` alone writes into it in place).
   */
  entryOf(deviceId: string): object | undefined {
    return this.locks.get(deviceId);
  }

  /** The sealed secret of a cached lock, without building its record. */
  sealedSecretOf(deviceId: string): string | undefined {
    return this.locks.get(deviceId)?.secretSealed;
  }

  /**
   * Writes a heartbeat's fields into a cached entry in place (false: not cached). The entries are
   * this cache's own (`get` hands out copies), so no one sees them change; a heartbeat, the
   * commonest message by far, then builds and packs no record (bench/README.md, "Ingest").
   */
  heartbeat(deviceId: string, fields: HeartbeatFields): boolean {
    const packed = this.locks.get(deviceId);
    if (packed === undefined) return false;
    packed.lastSeen = ms(fields.lastSeen);
    packed.rssi = fields.rssi;
    packed.battery = fields.battery;
    packed.lastBoot = fields.lastBoot;
    packed.lastSeq = fields.lastSeq;
    packed.lastTs = fields.lastTs;
    packed.commandCounter = fields.commandCounter;
    return true;
  }

  delete(deviceId: string): void {
    this.locks.delete(deviceId);
  }

  clear(): void {
    this.locks.clear();
  }

  private pack(lock: LockRecord): Packed {
    const previous = this.locks.get(lock.deviceId);
    const packed: Packed = {
      ...lock,
      // The same text as the entry it replaces (a row read again after a change): keep that string,
      // which the key cache (device-keys.ts) and the map's key already share, rather than a copy.
      deviceId: previous?.deviceId ?? lock.deviceId,
      secretSealed: previous?.secretSealed === lock.secretSealed ? previous.secretSealed : lock.secretSealed,
      alerts: lock.alerts.length === 0 ? NO_ALERTS : lock.alerts,
      lastSeen: ms(lock.lastSeen),
      rekeyStartedAt: ms(lock.rekeyStartedAt),
      lastChangedAt: ms(lock.lastChangedAt),
      doorOpenSince: ms(lock.doorOpenSince),
      unlockedSince: ms(lock.unlockedSince),
      createdAt: lock.createdAt.getTime(),
      updatedAt: lock.updatedAt.getTime(),
    };
    for (const field of SHARED_STRINGS) {
      const value = packed[field];
      if (typeof value === 'string') (packed as Record<typeof field, string | null>)[field] = this.share(value);
    }
    return packed;
  }

  private share(text: string): string {
    const known = this.shared.get(text);
    if (known !== undefined) return known;
    if (this.shared.size < MAX_SHARED) this.shared.set(text, text);
    return text;
  }
}

/** Most locks have no alert in force: one empty list for all of them (each `get` gives a new one). */
const NO_ALERTS: LockRecord['alerts'] = [];

const ms = (date: Date | null): number | null => (date === null ? null : date.getTime());
const date = (value: number | null): Date | null => (value === null ? null : new Date(value));

function unpack(packed: Packed): LockRecord {
  return {
    ...packed,
    alerts: packed.alerts === NO_ALERTS ? [] : packed.alerts,
    lastSeen: date(packed.lastSeen),
    rekeyStartedAt: date(packed.rekeyStartedAt),
    lastChangedAt: date(packed.lastChangedAt),
    doorOpenSince: date(packed.doorOpenSince),
    unlockedSince: date(packed.unlockedSince),
    createdAt: new Date(packed.createdAt ?? 0),
    updatedAt: new Date(packed.updatedAt ?? 0),
  };
}

