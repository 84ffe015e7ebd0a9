import { EVENT_KEYS, type AppEventName, type AppEvents, type EventBus } from './events.js';

/**
 * How many undelivered events one subscriber may hold. A live WebSocket reads them within
 * milliseconds; one this far behind is stalled, and keeping it would grow memory without bound.
 */
export const MAX_EVENTS_BEHIND = 10_000;

/** One subscription's queue: a subscriber is registered from `subscribe()`, not from its first read. */
class Subscription<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  private ended = false;

  constructor(private readonly release: (subscription: Subscription<T>) => void) {}

  push(event: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ done: false, value: event });
      return;
    }
    this.queue.push(event);
    if (this.queue.length > MAX_EVENTS_BEHIND) {
      // Ended with an error rather than trimmed: a subscriber must never miss events silently.
      this.end(new Error(`subscriber fell more than ${MAX_EVENTS_BEHIND} events behind and was ended`));
    }
  }

  next(): Promise<IteratorResult<T>> {
    const event = this.queue.shift();
    if (event !== undefined) return Promise.resolve({ done: false, value: event });
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private end(failure?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    this.release(this);
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting.resolve({ done: true, value: undefined });
    else if (failure) this.failure = failure;
  }
}

/** Who follows one event: everyone who wants all of them, and per key those who want one key's. */
interface Audience {
  all: Set<Subscription<unknown>>;
  byKey: Map<string, Set<Subscription<unknown>>>;
}

/**
 * In-process events: one api process, or the local fan-out behind the Redis bus. Each subscriber
 * has its own queue, so a slow one never delays the others nor the publisher, and one that stalls
 * is ended (see {@link MAX_EVENTS_BEHIND}) instead of crashing the process, which a bounded
 * shared buffer that throws on overflow would do.
 */
export class MemoryEventBus implements EventBus {
  private readonly audiences = new Map<AppEventName, Audience>();

  publish<K extends AppEventName>(name: K, payload: AppEvents[K]): void {
    const audience = this.audiences.get(name);
    if (!audience) return;
    const keyOf = EVENT_KEYS[name];
    const keyed = keyOf && audience.byKey.size > 0 ? audience.byKey.get(keyOf(payload)) : undefined;
    // Copies: a subscriber ended during delivery removes itself from its set.
    for (const subscriber of [...audience.all]) subscriber.push(payload);
    if (keyed) for (const subscriber of [...keyed]) subscriber.push(payload);
  }

  subscribe<K extends AppEventName>(name: K, key?: string): AsyncIterableIterator<AppEvents[K]> {
    if (key !== undefined && !EVENT_KEYS[name]) throw new Error(`"${name}" events have no key to subscribe by`);
    let audience = this.audiences.get(name);
    if (!audience) {
      audience = { all: new Set(), byKey: new Map() };
      this.audiences.set(name, audience);
    }
    const { byKey } = audience;
    let set = key === undefined ? audience.all : byKey.get(key);
    if (!set) {
      set = new Set();
      byKey.set(key as string, set);
    }
    const subscribers = set;
    const subscription = new Subscription<AppEvents[K]>((ended) => {
      subscribers.delete(ended as Subscription<unknown>);
      // A lock nobody follows any more leaves no entry behind.
      if (key !== undefined && subscribers.size === 0 && byKey.get(key) === subscribers) byKey.delete(key);
    });
    subscribers.add(subscription as Subscription<unknown>);
    return subscription;
  }

  close(): Promise<void> {
    for (const { all, byKey } of this.audiences.values()) {
      for (const subscriber of [...all]) void subscriber.return();
      for (const set of [...byKey.values()]) for (const subscriber of [...set]) void subscriber.return();
    }
    return Promise.resolve();
  }
}
