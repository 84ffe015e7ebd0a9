/**
 * Events shared by api replicas through Redis pub/sub. A publish goes to Redis
 * only; every replica (this one included) receives it on its subscriber
 * connection and fans it out locally, so all replicas see the same order.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../app/logger.js';
import { reviveEvent, type AppEventName, type AppEvents, type EventBus } from './events.js';
import { MemoryEventBus } from './memory-event-bus.js';

export class RedisEventBus implements EventBus {
  private readonly local = new MemoryEventBus();

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channelPrefix: string,
  ) {}

  static async connect(publisher: Redis, channelPrefix: string, log: Logger): Promise<RedisEventBus> {
    // A subscribing connection cannot run other commands: it gets its own.
    const subscriber = publisher.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    subscriber.on('error', (error: Error) => log.warn({ err: error.message }, 'redis subscriber error'));
    const bus = new RedisEventBus(publisher, subscriber, channelPrefix);
    subscriber.on('pmessage', (_pattern: string, channel: string, text: string) => {
      const name = channel.slice(channelPrefix.length) as AppEventName;
      try {
        bus.local.publish(name, reviveEvent(text) as AppEvents[typeof name]);
      } catch (error) {
        log.warn({ err: error, channel }, 'dropped an unreadable event from redis');
      }
    });
    await subscriber.psubscribe(`${channelPrefix}*`);
    return bus;
  }

  publish<K extends AppEventName>(name: K, payload: AppEvents[K]): void {
    void this.publisher.publish(this.channelPrefix + name, JSON.stringify(payload)).catch(() => undefined);
  }

  subscribe<K extends AppEventName>(name: K): AsyncIterableIterator<AppEvents[K]> {
    return this.local.subscribe(name);
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    await this.local.close();
  }
}
