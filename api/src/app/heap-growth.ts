/**
 * Bounds how far V8 lets the heap grow past its live size before the next full collection.
 *
 * Allocating fast (10,000 locks logging in and sending their first statuses), V8 chose to grow
 * the old generation up to ~4x the live heap: the api went from 88 MB live to 354 MB before one
 * collection brought it back to 70 MB, and its RSS peaked at 442-458 MB (bench/README.md, soak).
 * Growing by at most 50% kept it at 241-247 MB, flat, from the first minute, for a few more
 * incremental full collections (about 10 ms each at this size). HEAP_GROWING_PERCENT=0 leaves it to V8.
 *
 * Set at run time: V8 reads this flag at each collection, and Node keeps flags writable after start.
 */
import { setFlagsFromString } from 'node:v8';

export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
