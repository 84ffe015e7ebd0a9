import type { Logger } from '../app/logger.js';
import type { AppEventName, AppEvents, EventBus } from './events.js';

/** Where a failing handler is reported; a logger by default. */
export type FollowErrorHandler = (error: unknown, name: AppEventName) => void;

/**
 * Calls `handler` for every event of the given names; the returned function stops following.
 *
 * A handler that throws (or returns a promise that rejects) is reported through `onError` with the
 * event name, and the following goes on: one bad event must not silently stop, say, the broker
 * from ending the sessions of a lock whose secret was rotated.
 *
 * @param onError a `Logger` (logs at error level) or a callback. Without one the failure goes to
 * `process.emitWarning`, so it is never lost (optional only so that older call sites compile).
 */
export function followEvents<K extends AppEventName>(
  events: EventBus,
  names: K[],
  handler: (payload: AppEvents[K]) => unknown,
  onError?: Logger | FollowErrorHandler,
): () => Promise<void> {
  const report = toErrorHandler(onError);
  const iterators = names.map((name) => ({ name, iterator: events.subscribe(name) }));
  for (const { name, iterator } of iterators) {
    void (async () => {
      try {
        for await (const payload of iterator) {
          try {
            const result = handler(payload);
            // Not awaited: a slow async handler must not hold back the events behind it.
            if (result instanceof Promise) result.catch((error: unknown) => report(error, name));
          } catch (error) {
            report(error, name);
          }
        }
      } catch (error) {
        // The source itself failed: nothing more will come, but that must be seen, not swallowed.
        report(error, name);
      }
    })();
  }
  return async () => {
    for (const { iterator } of iterators) await iterator.return?.();
  };
}

function toErrorHandler(onError: Logger | FollowErrorHandler | undefined): FollowErrorHandler {
  if (typeof onError === 'function') return onError;
  if (onError) return (error, name) => onError.error({ err: error, event: name }, 'an event handler failed');
  return (error, name) => process.emitWarning(`an event handler for ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
}
