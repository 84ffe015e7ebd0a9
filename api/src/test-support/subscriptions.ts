/** Collects a subscription's events so tests can wait for the one they expect. */
import type { Client } from 'graphql-ws';
import type { OperationWatch } from '../http/operation-watch.js';

export interface Collected<T> {
  events: T[];
  errors: unknown[];
  /** Resolves with the first event (already received or future) that matches, or rejects after `timeoutMs`. */
  waitFor(match: (event: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Resolves when the server ends the subscription, or rejects when it has not after `timeoutMs`. */
  completed(timeoutMs?: number): Promise<void>;
  stop(): void;
}

export function collect<T>(client: Client, query: string, variables: Record<string, unknown> = {}): Collected<T> {
  const events: T[] = [];
  const errors: unknown[] = [];
  const waiters = new Set<() => void>();
  let reportComplete: () => void = () => undefined;
  const complete = new Promise<void>((resolve) => (reportComplete = resolve));
  const stop = client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        const value = result.data ? Object.values(result.data)[0] : undefined;
        if (value !== undefined) events.push(value);
        for (const wake of waiters) wake();
      },
      error: (error) => {
        errors.push(error);
        for (const wake of waiters) wake();
      },
      complete: () => reportComplete(),
    },
  );
  return {
    events,
    errors,
    stop,
    completed(timeoutMs = 5000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`the subscription was still open after ${timeoutMs} ms; got ${JSON.stringify(events)}`)), timeoutMs);
      });
      return Promise.race([complete, timeout]).finally(() => clearTimeout(timer));
    },
    waitFor(match, timeoutMs = 5000) {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found !== undefined) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)} errors ${JSON.stringify(errors)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * `collect`, resolved once the server has registered the subscription: an event published after
 * this resolves reaches it, with no sleep. Assumes no other socket starts an operation meanwhile.
 */
export async function subscribed<T>(
  operations: OperationWatch,
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Collected<T>> {
  const before = operations.total;
  const feed = collect<T>(client, query, variables);
  await operations.waitForTotal(before + 1);
  return feed;
}

/** Polls until `probe` returns a truthy value (for state reached through the broker). */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 5000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
