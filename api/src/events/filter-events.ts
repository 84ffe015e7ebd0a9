/**
 * Small operators over event iterators, written by hand rather than as async
 * generators: a generator parked in `for await` cannot run its cleanup until
 * the *next* event arrives, so an ended subscription would keep its listener
 * on the bus. Here `return()` closes the source at once.
 */
function derived<T>(source: AsyncIterableIterator<T>, next: () => Promise<IteratorResult<T>>): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    next,
    async return(): Promise<IteratorResult<T>> {
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** Passes on only the events that match. */
export function filterEvents<T>(source: AsyncIterableIterator<T>, keep: (event: T) => boolean): AsyncIterableIterator<T> {
  return derived(source, async () => {
    for (;;) {
      const result = await source.next();
      if (result.done || keep(result.value)) return result;
    }
  });
}

/**
 * Passes on only the events that match, for a check that sometimes needs a lookup: a verdict given
 * at once costs no promise (this runs per event and per subscriber); a check that fails ends the
 * stream with its error, like a failing filter of type-graphql's `topics` + `filter`.
 */
export function filterEventsAsync<T>(source: AsyncIterableIterator<T>, keep: (event: T) => boolean | Promise<boolean>): AsyncIterableIterator<T> {
  return derived(source, async () => {
    for (;;) {
      const result = await source.next();
      if (result.done) return result;
      const verdict = keep(result.value);
      if (verdict === true || (verdict !== false && (await verdict))) return result;
    }
  });
}

/** Yields `first`, then whatever `source` yields: a subscriber sees the current state before changes. */
export function startWith<T>(first: T, source: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  let pending = true;
  return derived(source, () => {
    if (!pending) return source.next();
    pending = false;
    return Promise.resolve({ done: false, value: first });
  });
}

/**
 * Passes events on while `allowed` says yes, then ends (and releases the source). For checks that
 * need a lookup per event; a check that fails ends the stream too: access is denied, not assumed.
 */
export function takeWhileAllowed<T>(source: AsyncIterableIterator<T>, allowed: (event: T) => Promise<boolean>): AsyncIterableIterator<T> {
  let ended = false;
  return derived(source, async () => {
    if (ended) return { done: true, value: undefined };
    const result = await source.next();
    if (result.done || (await allowed(result.value).catch(() => false))) return result;
    ended = true;
    await source.return?.();
    return { done: true, value: undefined };
  });
}
