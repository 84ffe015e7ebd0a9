/**
 * Events shared by api replicas through Redis pub/sub.
 *
 * A publish reaches this replica's own subscribers at once, in-process, and the other replicas
 * through Redis. Each Redis message names its origin (one id per bus, so per process in
 * production) and a replica skips its own echoes: no event arrives twice, and local subscribers
 * keep working while Redis is away. Events from one replica arrive everywhere in the order it
 * published them; events from different replicas may interleave differently on each replica.
 *
 * That interleaving can put an older row of a lock after a newer one (replica A wrote first but
 * published last): a `lock.changed` from another replica is therefore handed on as the store has
 * the row when the event arrives (`refresh`), in arrival order per lock, so what subscribers see
 * of a lock never goes back in time; a lock the store no longer has is not handed on. The read
 * may let that replica's next events of other kinds (a removal, an access lost) be handed on
 * first: the row then read is the newer one, and a removed lock's is none.
 *
 * Redis pub/sub keeps nothing for an absent subscriber, so an outage loses cross-replica events.
 * It must not do so silently: failed publishes and lost connections are counted and logged, and
 * 'bus.resync' tells subscribers that they may have missed events and should reload state —
 * locally when this replica's subscriber connection is back, and on the other replicas (through
 * Redis) once a replica whose publishes failed can publish again.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../app/logger.js';
import { RateLimitedWarning } from '../observability/rate-limited-warning.js';
import { encodeEvent, EVENT_KEYS, reviveEvent, type AppEventName, type AppEvents, type EventBus, type ResyncReason } from './events.js';
import { MemoryEventBus } from './memory-event-bus.js';

/** What went wrong, for the `smartlock_event_bus_failures_total{kind}` metric. */
export type EventBusFailure = 'publish' | 'subscriber_lost' | 'unreadable';

/** Reads an event's record again (null: gone), for events of other replicas whose payload may be older than the store. */
export type Refreshers = { [K in AppEventName]?: (payload: AppEvents[K]) => Promise<AppEvents[K] | null> };

export interface RedisEventBusOptions {
  /** Called once per failure (a metric); the bus logs them itself, rate-limited. */
  onFailure?: (kind: EventBusFailure) => void;
  /** In production: `lock.changed` re-read from the store (app.ts). */
  refresh?: Refreshers;
  now?: () => number;
}

/** The Redis message: the payload plus who sent it, so that the sender can skip its own echo. */
interface Envelope {
  origin: string;
  payload: unknown;
}

function readEnvelope(text: string): Envelope {
  const value = reviveEvent(text);
  if (typeof value !== 'object' || value === null || typeof (value as Envelope).origin !== 'string' || !('payload' in value)) {
    throw new Error('not an event envelope (a replica of another version?)');
  }
  return value as Envelope;
}

export class RedisEventBus implements EventBus {
  private readonly local = new MemoryEventBus();
  private readonly origin = randomUUID();
  private readonly pattern: string;
  private readonly publishWarning: RateLimitedWarning;
  private readonly refreshWarning: RateLimitedWarning;
  private readonly onFailure: (kind: EventBusFailure) => void;
  private readonly now: () => number;
  /** Subscriber connection drops so far; a recovery counts only if no new drop happened meanwhile. */
  private drops = 0;
  private lost = false;
  /** Failed publishes the other replicas have not yet been told about. */
  private unannounced = 0;
  private announcing = false;
  private closing = false;
  private readonly refresh: Refreshers;
  /** Per event key, the refreshed deliveries still under way: later events of the key wait for them. */
  private readonly refreshing = new Map<string, Promise<void>>();

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channelPrefix: string,
    private readonly log: Logger,
    options: RedisEventBusOptions,
  ) {
    this.pattern = `${channelPrefix}*`;
    this.onFailure = options.onFailure ?? (() => undefined);
    this.refresh = options.refresh ?? {};
    this.now = options.now ?? Date.now;
    this.publishWarning = new RateLimitedWarning(log, 'an event did not reach the other replicas (redis publish failed)', 30_000, this.now);
    this.refreshWarning = new RateLimitedWarning(log, "could not re-read another replica's event; handed on as received", 30_000, this.now);
  }

  static async connect(publisher: Redis, channelPrefix: string, log: Logger, options: RedisEventBusOptions = {}): Promise<RedisEventBus> {
    // A subscribing connection cannot run other commands: it gets its own.
    const subscriber = publisher.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    subscriber.on('error', (error: Error) => log.warn({ err: error.message }, 'redis subscriber error'));
    const bus = new RedisEventBus(publisher, subscriber, channelPrefix, log, options);
    subscriber.on('pmessage', (_pattern: string, channel: string, text: string) => bus.receive(channel, text));
    subscriber.on('close', () => bus.subscriberLost());
    subscriber.on('ready', () => void bus.subscriberBack());
    publisher.on('ready', () => bus.announceMissedPublishes());
    await subscriber.psubscribe(bus.pattern);
    return bus;
  }

  publish<K extends AppEventName>(name: K, payload: AppEvents[K]): void {
    this.local.publish(name, payload);
    const text = encodeEvent({ origin: this.origin, payload } satisfies Envelope);
    void this.publisher.publish(this.channelPrefix + name, text).then(
      () => this.announceMissedPublishes(),
      (error: unknown) => {
        this.unannounced += 1;
        this.onFailure('publish');
        this.publishWarning.warn({ err: error instanceof Error ? error.message : String(error), event: name });
      },
    );
  }

  subscribe<K extends AppEventName>(name: K, key?: string): AsyncIterableIterator<AppEvents[K]> {
    return this.local.subscribe(name, key);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.subscriber.disconnect();
    await this.local.close();
  }

  private receive(channel: string, text: string): void {
    const name = channel.slice(this.channelPrefix.length) as AppEventName;
    try {
      const { origin, payload } = readEnvelope(text);
      if (origin === this.origin) return; // delivered locally when it was published
      this.deliver(name, payload as AppEvents[typeof name]);
    } catch (error) {
      this.onFailure('unreadable');
      this.log.warn({ err: error, channel }, 'dropped an unreadable event from redis');
    }
  }

  /** Hands another replica's event to local subscribers, re-read first where a refresher says so. */
  private deliver<K extends AppEventName>(name: K, payload: AppEvents[K]): void {
    const refresh = this.refresh[name];
    const keyOf = EVENT_KEYS[name];
    if (!refresh || !keyOf) return this.local.publish(name, payload);
    const key = `${name}:${keyOf(payload)}`;
    const delivered = (this.refreshing.get(key) ?? Promise.resolve())
      .then(() => refresh(payload))
      .then(
        (current) => {
          if (current) this.local.publish(name, current);
        },
        // The store failing: the event as it came, rather than none.
        (error: unknown) => {
          this.refreshWarning.warn({ err: error instanceof Error ? error.message : String(error), event: name });
          this.local.publish(name, payload);
        },
      )
      .finally(() => {
        if (this.refreshing.get(key) === delivered) this.refreshing.delete(key);
      });
    this.refreshing.set(key, delivered);
  }

  private subscriberLost(): void {
    this.drops += 1;
    // ioredis emits 'close' again for every failed reconnection attempt: count the outage once.
    if (this.closing || this.lost) return;
    this.lost = true;
    this.onFailure('subscriber_lost');
    this.log.warn('lost the redis subscription: events from other replicas are missed until it is back');
  }

  private async subscriberBack(): Promise<void> {
    if (!this.lost || this.closing) return;
    const drops = this.drops;
    try {
      // ioredis re-subscribes on 'ready' but does not wait for Redis to confirm; this second
      // PSUBSCRIBE (a no-op for Redis) is answered after it, so once it resolves no event published
      // from now on can be missed, and a client that reloads on the resync sees everything since.
      await this.subscriber.psubscribe(this.pattern);
    } catch (error) {
      this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'redis re-subscription failed');
      return;
    }
    if (drops !== this.drops || !this.lost) return; // dropped again meanwhile: the next 'ready' recovers
    this.lost = false;
    this.log.info('redis subscription restored; telling subscribers to resync');
    this.resyncLocally('reconnected');
  }

  /** After failed publishes, once Redis takes publishes again, the other replicas' clients must reload. */
  private announceMissedPublishes(): void {
    if (this.unannounced === 0 || this.announcing || this.closing) return;
    const count = this.unannounced;
    this.announcing = true;
    const resync: AppEvents['bus.resync'] = { reason: 'publish_failed', at: new Date(this.now()) };
    const text = encodeEvent({ origin: this.origin, payload: resync } satisfies Envelope);
    void this.publisher
      .publish(`${this.channelPrefix}bus.resync`, text)
      .then(
        () => {
          this.unannounced -= count;
          this.log.info({ failedPublishes: count }, 'redis takes publishes again; told the other replicas to resync');
        },
        () => undefined, // still down: the next 'ready' or successful publish tries again
      )
      .finally(() => {
        this.announcing = false;
      });
  }

  private resyncLocally(reason: ResyncReason): void {
    this.local.publish('bus.resync', { reason, at: new Date(this.now()) });
  }
}
