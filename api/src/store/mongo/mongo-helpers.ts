/** Small pieces shared by the MongoDB repositories. */
import { Types, type Model, type QueryFilter } from 'mongoose';

/** The server's duplicate key error (E11000), from an insert or a unique index. */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}

/**
 * Parses a 24-hex-digit ObjectId, or null for anything else, so that an id
 * from elsewhere (a SQLite UUID, a typo) finds nothing instead of throwing a
 * CastError. `ObjectId.isValid` is too lenient: it accepts any 12-char string.
 */
export function objectIdOrNull(id: string): Types.ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null;
}

/** Updates that return the document as it is after the update. */
export const AFTER = { returnDocument: 'after' } as const;

/**
 * Deletes at most `limit` documents matching `filter` (MongoDB's deleteMany has
 * no limit): their ids first, then those ids, still matching the filter so a
 * document that changed in between is kept. `sort` picks which go first.
 * Returns how many it deleted.
 */
export async function deleteBatch<T>(model: Model<T>, filter: QueryFilter<T>, limit: number, sort: Record<string, 1 | -1> = {}): Promise<number> {
  // limit(0) means "no limit" to MongoDB.
  if (limit <= 0) return 0;
  const ids = (await model.find(filter).sort(sort).select('_id').limit(Math.floor(limit)).lean<{ _id: unknown }[]>()).map((doc) => doc._id);
  if (ids.length === 0) return 0;
  return (await model.deleteMany({ $and: [filter, { _id: { $in: ids } }] } as QueryFilter<T>)).deletedCount;
}

/** `work` on every item, at most `limit` at a time; results in the items' order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
