/**
 * The signed-in user's locks, kept live by `lockChanged` and remembered in localStorage so that
 * the last known state shows offline. Shared by every page (one query, one subscription).
 */
import type { LockFieldsFragment } from '../gql/graphql';
import { LockChangedDocument, LocksDocument } from '../operations/locks';
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
    this.state = { locks: cached ?? [], fresh: false, loading: cached === null, error: null };
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
    this.loading ??= this.deps
      .request(LocksDocument, {})
      .then(
        (data) => this.update({ locks: data.locks, fresh: true, loading: false, error: null }),
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

  upsert(lock: Lock): void {
    const index = this.state.locks.findIndex((known) => known.deviceId === lock.deviceId);
    if (index === -1) {
      void this.load();
      return;
    }
    const locks = [...this.state.locks];
    locks[index] = lock;
    this.update({ ...this.state, locks });
  }

  remove(deviceId: string): void {
    this.update({ ...this.state, locks: this.state.locks.filter((lock) => lock.deviceId !== deviceId) });
  }

  private start(): void {
    void this.load();
    const unsubscribe = this.deps.live.subscribe(LockChangedDocument, {}, { next: (data) => this.upsert(data.lockChanged) });
    const unlisten = this.deps.live.onMissedEvents(() => void this.load());
    this.stopLive = () => {
      unsubscribe();
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
