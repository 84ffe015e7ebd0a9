import { createPubSub } from '@graphql-yoga/subscription';
import type { AppEventName, AppEvents, EventBus } from './events.js';

type PubSubArgs = { [K in AppEventName]: [AppEvents[K]] };

/** In-process events: one api process, or the local fan-out behind the Redis bus. */
export class MemoryEventBus implements EventBus {
  private readonly pubSub = createPubSub<PubSubArgs>();

  publish<K extends AppEventName>(name: K, payload: AppEvents[K]): void {
    (this.pubSub.publish as (name: K, payload: AppEvents[K]) => void)(name, payload);
  }

  subscribe<K extends AppEventName>(name: K): AsyncIterableIterator<AppEvents[K]> {
    return (this.pubSub.subscribe as (name: K) => AsyncIterableIterator<AppEvents[K]>)(name);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
