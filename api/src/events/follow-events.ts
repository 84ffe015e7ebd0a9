import type { Lifecycle } from '../app/lifecycle.js';
import type { AppEventName, AppEvents, EventBus } from './events.js';

/** Calls `handler` for every event of the given names until the lifecycle stops. */
export function followEvents<K extends AppEventName>(
  events: EventBus,
  names: K[],
  handler: (payload: AppEvents[K]) => void,
  lifecycle: Lifecycle,
): void {
  for (const name of names) {
    const iterator = events.subscribe(name);
    lifecycle.add(`follow ${name}`, async () => void (await iterator.return?.()));
    void (async () => {
      for await (const payload of iterator) handler(payload);
    })();
  }
}
