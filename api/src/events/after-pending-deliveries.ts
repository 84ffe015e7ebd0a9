/**
 * Resolves on the next turn of the event loop, once every microtask queued so far has run: an event
 * just published in memory has then reached its subscribers (their GraphQL execution and WebSocket
 * write are microtasks). Work that can wait — audit writes — awaits this so it does not slow the
 * delivery people are watching. With Redis pub/sub the delivery is elsewhere; the wait is one turn.
 */
export function afterPendingDeliveries(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
