/**
 * Per-request batching of store reads by id: every `load` made while a GraphQL result is
 * being resolved (one per lock of a list) becomes a single store call. Nothing is cached
 * past a batch, so a subscription, whose context lives as long as it does, reads each event
 * fresh, and a mutation's result never shows what the store held before it.
 */
import type { LockFirmwareUpdateRecord } from '../store/firmware-records.js';
import type { LockShareRecord } from '../store/lock-share-records.js';
import type { Store } from '../store/ports.js';
import type { CommandRecord, LockRecord, LockSettingsRecord } from '../store/records.js';

interface Waiting<V> {
  resolve(value: V | null): void;
  reject(error: unknown): void;
}

export class BatchLoader<V> {
  private batch: Map<string, Waiting<V>[]> | null = null;

  /**
   * @param fetch reads the records of some ids (those found, in any order)
   * @param keyOf the id of a record `fetch` returned
   */
  constructor(
    private readonly fetch: (ids: string[]) => Promise<V[]>,
    private readonly keyOf: (record: V) => string,
  ) {}

  /** The record with this id, or null when there is none. */
  load(id: string): Promise<V | null> {
    if (this.batch === null) {
      const batch = new Map<string, Waiting<V>[]>();
      this.batch = batch;
      // After the promise jobs already queued (the sibling resolvers of this pass) have run, as DataLoader does.
      void Promise.resolve().then(() => process.nextTick(() => void this.dispatch(batch)));
    }
    const batch = this.batch;
    return new Promise<V | null>((resolve, reject) => {
      const waiting = batch.get(id);
      if (waiting) waiting.push({ resolve, reject });
      else batch.set(id, [{ resolve, reject }]);
    });
  }

  private async dispatch(batch: Map<string, Waiting<V>[]>): Promise<void> {
    if (this.batch === batch) this.batch = null;
    let found: Map<string, V>;
    try {
      found = new Map((await this.fetch([...batch.keys()])).map((record) => [this.keyOf(record), record]));
    } catch (error) {
      for (const waiting of batch.values()) for (const w of waiting) w.reject(error);
      return;
    }
    for (const [id, waiting] of batch) for (const w of waiting) w.resolve(found.get(id) ?? null);
  }
}

/** The loaders of one GraphQL operation (see GraphQLContext.loaders). */
export interface Loaders {
  locks: BatchLoader<LockRecord>;
  lockSettings: BatchLoader<LockSettingsRecord>;
  commands: BatchLoader<CommandRecord>;
  firmwareUpdates: BatchLoader<LockFirmwareUpdateRecord>;
  /** Shares by `shareKey(guest, deviceId)`: one store read per person however many locks are resolved. */
  shares: BatchLoader<LockShareRecord>;
}

export const shareKey = (guest: string, deviceId: string): string => `${guest}\u0000${deviceId}`;

async function sharesOf(store: Store, keys: string[]): Promise<LockShareRecord[]> {
  const guests = [...new Set(keys.map((key) => key.slice(0, key.indexOf('\u0000'))))];
  return (await Promise.all(guests.map((guest) => store.lockShares.listByGuest(guest)))).flat();
}

export function createLoaders(store: Store): Loaders {
  return {
    locks: new BatchLoader((ids) => store.locks.findByDeviceIds(ids), (lock) => lock.deviceId),
    lockSettings: new BatchLoader((ids) => store.lockSettings.findMany(ids), (settings) => settings.deviceId),
    commands: new BatchLoader((ids) => store.commands.findByIds(ids), (command) => command.id),
    firmwareUpdates: new BatchLoader((ids) => store.firmware.findLockUpdates(ids), (update) => update.deviceId),
    shares: new BatchLoader((keys) => sharesOf(store, keys), (share) => shareKey(share.guest, share.deviceId)),
  };
}
