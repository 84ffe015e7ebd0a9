/**
 * Counts the GraphQL operations that sockets have started, so a test can wait for "the subscription
 * is registered" instead of sleeping (graphql-ws's own test servers offer waitForOperation). An
 * operation counts once its `subscribe` has run: the event bus registers a subscriber there (not at
 * its first read), so an event published after the wait resolves reaches it.
 */
export class OperationWatch {
  private count = 0;
  private readonly waiters = new Set<{ total: number; resolve: () => void }>();

  /** Operations started since the server started. */
  get total(): number {
    return this.count;
  }

  started(): void {
    this.count += 1;
    for (const waiter of this.waiters) {
      if (this.count >= waiter.total) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Resolves once `total` operations have started since the server started. */
  waitForTotal(total: number, timeoutMs = 5000): Promise<void> {
    if (this.count >= total) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${this.count} of ${total} WebSocket operations had started after ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        total,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.add(waiter);
    });
  }
}
