/** Passes on only the events that match; closing the result closes the source. */
export async function* filterEvents<T>(source: AsyncIterableIterator<T>, keep: (event: T) => boolean): AsyncGenerator<T> {
  try {
    for await (const event of source) if (keep(event)) yield event;
  } finally {
    await source.return?.();
  }
}
