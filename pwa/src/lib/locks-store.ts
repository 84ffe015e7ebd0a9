/**
 * Every lock the signed-in user may see (their own; for an admin, every lock), kept live by
 * `lockChanged` and `lockAccessLost` and remembered in localStorage so that the last known state
 * shows offline. Shared by every page (one query, one subscription each): "My locks" shows the
 * viewer's own among them (`own-locks.ts`), the admin page all of them.
 *
 * Live events and `locks` snapshots race: a snapshot requested before an event may arrive after it.
 * Every live change stamps its lock with a tick of a local clock, every load notes the tick it
 * started at, and a snapshot never overrides a lock stamped after that: the newer state stays.
 */
import type { LockAccessLostReason, LockFieldsFragment } from '../gql/graphql';
import { LockAccessLostDocument, LockChangedDocument, LocksDocument } from '../operations/locks';
import type { Request } from './api-client';
import { errorMessage, NetworkError } from './graphql-http';
import type { LiveClient } from './live-client';
import { readSession } from './session-store';

export type Lock = LockFieldsFragment;

export interface LocksState {
  locks: readonly Lock[];
  /** True once the server answered (not only the cache). */
  fresh: boolean;
  /** True while nothing at all is known yet. */
  loading: boolean;
  error: string | null;
  /** Locks that left the list live while this page was open, and why (until they come back). */
  lost: Readonly<Record<string, LockAccessLostReason>>;
}

interface Deps {
  request: Request;
  live: LiveClient;
  storage: Storage;
  userId: string;
}

function readCache(storage: Storage, key: string): Lock[] | null {
  try {
    const value: unknown = JSON.parse(storage.getItem(key) ?? 'null');
    return Array.isArray(value) ? (value as Lock[]) : null;
  } catch {
    return null;
  }
}

export class LocksStore {
  private state: LocksState;
  private readonly listeners = new Set<() => void>();
  private readonly cacheKey: string;
  private retained = 0;
  private stopLive: (() => void) | null = null;
  private loading: Promise<void> | null = null;

  constructor(private readonly deps: Deps) {
    this.cacheKey = `smartlock.locks.${deps.userId}`;
    const cached = readCache(deps.storage, this.cacheKey);
    this.state = { locks: cached ?? [], fresh: false, loading: cached === null, error: null, lost: {} };
  }

  /** Ticks of live changes: a snapshot older than a lock's tick does not override it. */
  private clock = 0;
  private readonly changedAt = new Map<string, number>();

  private touch(deviceId: string): void {
    this.clock += 1;
    this.changedAt.set(deviceId, this.clock);
  }

  getState = (): LocksState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  find(deviceId: string): Lock | undefined {
    return this.state.locks.find((lock) => lock.deviceId === deviceId);
  }

  /** Keeps the list loaded and live while at least one page uses it. */
  retain(): () => void {
    this.retained += 1;
    if (this.retained === 1) this.start();
    return () => {
      this.retained -= 1;
      if (this.retained === 0) this.stop();
    };
  }

  load(): Promise<void> {
    const startedAt = this.clock;
    this.loading ??= this.deps
      .request(LocksDocument, {})
      .then(
        (data) => this.update({ ...this.merge(data.locks, startedAt), fresh: true, loading: false, error: null }),
        (error: unknown) => {
          // Offline: keep showing the last known state; the banner says why.
          this.update({ ...this.state, loading: false, error: error instanceof NetworkError ? null : errorMessage(error) });
        },
      )
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  /** A live change: the lock as it is now (new to the list when it became visible). */
  upsert(lock: Lock): void {
    this.touch(lock.deviceId);
    const index = this.state.locks.findIndex((known) => known.deviceId === lock.deviceId);
    const locks = [...this.state.locks];
    if (index === -1) locks.push(lock);
    else locks[index] = lock;
    const { [lock.deviceId]: _back, ...lost } = this.state.lost;
    this.update({ ...this.state, locks, lost });
  }

  /** The lock is gone for this user (removed here, or `reason` from `lockAccessLost`). */
  remove(deviceId: string, reason: LockAccessLostReason = 'REMOVED'): void {
    this.touch(deviceId);
    this.update({ ...this.state, locks: this.state.locks.filter((lock) => lock.deviceId !== deviceId), lost: { ...this.state.lost, [deviceId]: reason } });
  }

  /** Why the lock left the list live, if it did. */
  lostReason(deviceId: string): LockAccessLostReason | undefined {
    return this.state.lost[deviceId];
  }

  /** A snapshot requested at tick `startedAt`, with every lock changed live since then kept as it is now. */
  private merge(snapshot: readonly Lock[], startedAt: number): Pick<LocksState, 'locks' | 'lost'> {
    const newer = (deviceId: string) => (this.changedAt.get(deviceId) ?? 0) > startedAt;
    const current = new Map(this.state.locks.map((lock) => [lock.deviceId, lock]));
    const locks: Lock[] = [];
    const lost = { ...this.state.lost };
    for (const lock of snapshot) {
      if (!newer(lock.deviceId)) {
        locks.push(lock);
        delete lost[lock.deviceId];
        continue;
      }
      const live = current.get(lock.deviceId);
      if (live) locks.push(live);
    }
    const listed = new Set(snapshot.map((lock) => lock.deviceId));
    for (const lock of this.state.locks) if (!listed.has(lock.deviceId) && newer(lock.deviceId)) locks.push(lock);
    return { locks, lost };
  }

  private start(): void {
    void this.load();
    const unsubscribe = this.deps.live.subscribe(LockChangedDocument, {}, { next: (data) => this.upsert(data.lockChanged) });
    const unsubscribeLost = this.deps.live.subscribe(LockAccessLostDocument, {}, {
      next: (data) => this.remove(data.lockAccessLost.deviceId, data.lockAccessLost.reason),
    });
    const unlisten = this.deps.live.onMissedEvents(() => void this.load());
    this.stopLive = () => {
      unsubscribe();
      unsubscribeLost();
      unlisten();
    };
  }

  private stop(): void {
    this.stopLive?.();
    this.stopLive = null;
  }

  private update(state: LocksState): void {
    this.state = state;
    try {
      // Only while this user is signed in here: an answer landing after sign-out is not kept.
      if (readSession(this.deps.storage)?.user.id === this.deps.userId) this.deps.storage.setItem(this.cacheKey, JSON.stringify(state.locks));
    } catch {
      // Storage full or blocked: the live list still works, only the offline copy is stale.
    }
    for (const listener of [...this.listeners]) listener();
  }
}
