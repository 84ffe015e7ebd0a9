/**
 * The status ingest's last known row per lock, so that a heartbeat reads no database, kept current
 * by the events it follows (handlers dropped in `stop()`):
 * - `lock.changed`: the announced row, unless it may bring back a replaced secret (`rememberAnnounced`);
 * - `lock.secretRotated`, `lock.removed`: forgotten: the next message reads the store, so no status
 *   or ack signed with an old secret is trusted;
 * - `command.updated`: the raised counter (it saves a write per ack);
 * - `bus.resync`: events may have been missed (a Redis outage), so a secret rotated or a lock
 *   removed on another replica could be cached still: everything forgotten.
 */
import type { Logger } from '../app/logger.js';
import type { AppEventName, AppEvents, EventBus } from '../events/events.js';
import { followEvents } from '../events/follow-events.js';
import type { Store } from '../store/ports.js';
import type { LockRecord } from '../store/records.js';
import { LockCache, type HeartbeatFields } from './lock-cache.js';
import { isNewer } from './status-changes.js';

export interface IngestLockCacheDeps {
  store: Store;
  events: EventBus;
  log: Logger;
}

export class IngestLockCache {
  private readonly rows = new LockCache();
  /** Locks whose secret was replaced: announced rows may predate that, so none is cached until the store is read. */
  private readonly readStoreFirst = new Set<string>();
  private readonly unsubscribers: (() => void)[] = [];

  constructor(private readonly deps: IngestLockCacheDeps) {}

  /** @param beforeResync runs before everything is forgotten on `bus.resync` (the ingest writes what it holds). */
  start(beforeResync: () => Promise<void>): void {
    this.follow('lock.changed', (lock) => this.rememberAnnounced(lock));
    this.follow('lock.removed', ({ deviceId }) => this.forget(deviceId));
    this.follow('lock.secretRotated', ({ deviceId }) => {
      this.rows.delete(deviceId);
      this.readStoreFirst.add(deviceId);
    });
    this.follow('bus.resync', () => void beforeResync().then(() => this.rows.clear()));
    this.follow('command.updated', ({ deviceId, counter }) => {
      const cached = this.rows.get(deviceId);
      if (cached && counter > cached.commandCounter) this.rows.set({ ...cached, commandCounter: counter });
    });
  }

  stop(): void {
    for (const stop of this.unsubscribers.splice(0)) stop();
  }

  get(deviceId: string): LockRecord | undefined {
    return this.rows.get(deviceId);
  }

  /** See LockCache.entryOf. */
  entryOf(deviceId: string): object | undefined {
    return this.rows.entryOf(deviceId);
  }

  sealedSecretOf(deviceId: string): string | undefined {
    return this.rows.sealedSecretOf(deviceId);
  }

  /** A heartbeat's fields, written into the cached entry (lock-cache.ts). */
  heartbeat(deviceId: string, fields: HeartbeatFields): void {
    this.rows.heartbeat(deviceId, fields);
  }

  /** A row the ingest read or wrote itself: as new as the store's, so announced rows are taken again. */
  set(lock: LockRecord): void {
    this.readStoreFirst.delete(lock.deviceId);
    this.rows.set(lock);
  }

  delete(deviceId: string): void {
    this.rows.delete(deviceId);
  }

  /** The cached row, else the store's (then cached); null for a lock the store does not have. */
  async read(deviceId: string): Promise<LockRecord | null> {
    const cached = this.rows.get(deviceId);
    if (cached) return cached;
    this.readStoreFirst.delete(deviceId); // before the read: an announcement during it is newer than what the read saw
    const lock = await this.deps.store.locks.findByDeviceId(deviceId);
    if (lock) this.rows.set(lock);
    return lock;
  }

  /** Like `set`, without letting the replay mark go backwards (the cache may hold a later heartbeat's). */
  remember(lock: LockRecord): void {
    this.readStoreFirst.delete(lock.deviceId);
    this.merge(lock);
  }

  private merge(lock: LockRecord): void {
    const cached = this.rows.get(lock.deviceId);
    if (cached && isNewer(cached.lastBoot, cached.lastSeq, lock)) {
      this.rows.set({ ...lock, lastBoot: cached.lastBoot, lastSeq: cached.lastSeq, lastTs: cached.lastTs, lastSeen: cached.lastSeen });
    } else {
      this.rows.set(lock);
    }
  }

  /**
   * A row another part of the api (this replica or another) wrote and announced. Announcements of
   * different replicas can arrive in another order than their writes, so one whose secret is not
   * the cached one may be the older of the two, and caching it would make statuses signed with a
   * replaced secret believed: the lock is forgotten instead, and its next message reads the store.
   */
  private rememberAnnounced(lock: LockRecord): void {
    if (this.readStoreFirst.has(lock.deviceId)) return;
    const cachedSecret = this.rows.sealedSecretOf(lock.deviceId);
    if (cachedSecret !== undefined && cachedSecret !== lock.secretSealed) return this.rows.delete(lock.deviceId);
    this.merge(lock);
  }

  private forget(deviceId: string): void {
    this.rows.delete(deviceId);
    this.readStoreFirst.delete(deviceId);
  }

  private follow<K extends AppEventName>(name: K, handler: (payload: AppEvents[K]) => void): void {
    const stop = followEvents(this.deps.events, [name], handler, this.deps.log);
    this.unsubscribers.push(() => void stop());
  }
}
