import type { AppEventName, AppEvents, EventBus } from './events.js';

/** Calls `handler` for every event of the given names; the returned function stops following. */
export function followEvents<K extends AppEventName>(events: EventBus, names: K[], handler: (payload: AppEvents[K]) => void): () => Promise<void> {
  const iterators = names.map((name) => events.subscribe(name));
  for (const iterator of iterators) {
    void (async () => {
      for await (const payload of iterator) handler(payload);
    })();
  }
  return async () => {
    for (const iterator of iterators) await iterator.return?.();
  };
}
