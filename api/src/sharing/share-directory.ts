/**
 * Who holds which share, for subscription filters that run once per event per subscriber and must
 * not each read the store: each guest's shares are read once and kept until a share of theirs
 * changes. Follows `lock.shareChanged` (every replica publishes it for each share made, changed or
 * ended) and `bus.resync` (events may have been missed: everything is forgotten). The replica that
 * makes a change also forgets at once (`forget`), so its own next event already sees it.
 */
import type { Logger } from '../app/logger.js';
import type { EventBus } from '../events/events.js';
import type { LockShareRecord } from '../store/lock-share-records.js';
import type { Store } from '../store/ports.js';

export class ShareDirectory {
  private readonly byGuest = new Map<string, Promise<Map<string, LockShareRecord>>>();
  private following: Array<AsyncIterableIterator<unknown>> = [];
  /** False until started and after following the bus failed: then nothing is kept (every lookup reads the store). */
  private live = false;

  constructor(private readonly deps: { store: Store; events: EventBus; log: Logger }) {}

  /** The guest's shares by deviceId (cached). */
  sharesOf(guest: string): Promise<Map<string, LockShareRecord>> {
    if (!this.live) return this.read(guest);
    let shares = this.byGuest.get(guest);
    if (!shares) {
      shares = this.read(guest);
      // A failed read is not kept: the next event tries again.
      shares.catch(() => this.byGuest.delete(guest));
      this.byGuest.set(guest, shares);
    }
    return shares;
  }

  private async read(guest: string): Promise<Map<string, LockShareRecord>> {
    return new Map((await this.deps.store.lockShares.listByGuest(guest)).map((s) => [s.deviceId, s]));
  }

  async shareOf(guest: string, deviceId: string): Promise<LockShareRecord | null> {
    return (await this.sharesOf(guest)).get(deviceId) ?? null;
  }

  forget(guest: string): void {
    this.byGuest.delete(guest);
  }

  start(): void {
    const changes = this.deps.events.subscribe('lock.shareChanged');
    const resyncs = this.deps.events.subscribe('bus.resync');
    this.following = [changes, resyncs];
    this.live = true;
    void this.follow(changes, (event) => this.forget(event.guest));
    void this.follow(resyncs, () => this.byGuest.clear());
  }

  stop(): void {
    for (const iterator of this.following) void iterator.return?.();
    this.following = [];
    this.live = false;
    this.byGuest.clear();
  }

  private async follow<T>(events: AsyncIterableIterator<T>, onEvent: (event: T) => void): Promise<void> {
    try {
      for await (const event of events) onEvent(event);
    } catch (error) {
      this.deps.log.error({ err: error }, 'the share directory stopped following share events; it reads the store from now on');
      this.live = false;
      this.byGuest.clear();
    }
  }
}
