/**
 * Every lock, a page at a time: start-up checks walk the whole fleet without holding it (100,000
 * records are about 100 MB of heap at once; bench/README.md, "Big data").
 */
import type { LockRepository } from './ports.js';
import type { LockRecord } from './records.js';

export const LOCK_PAGE_SIZE = 1_000;

export async function* eachLock(locks: Pick<LockRepository, 'listPage'>, pageSize = LOCK_PAGE_SIZE): AsyncGenerator<LockRecord> {
  let after: string | undefined;
  for (;;) {
    const page = await locks.listPage({ first: pageSize, ...(after === undefined ? {} : { after }) });
    yield* page.items;
    if (!page.hasNextPage || page.endCursor === null) return;
    after = page.endCursor;
  }
}
