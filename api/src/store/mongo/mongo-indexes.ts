/**
 * Creates the models' indexes one by one, instead of mongoose's autoIndex, so that a database made
 * by another system (the Flask one) cannot stop start-up with an index of its own: an existing
 * index that conflicts with one of ours (same keys with other options, or same name with other
 * keys), or data that a unique index of ours refuses, is reported by name and the api keeps running
 * without that index. Then the database does not enforce that uniqueness; docs/migrating-from-flask.md.
 */
import type { CreateIndexesOptions, IndexDescriptionInfo, IndexSpecification } from 'mongodb';
import type { Collection, Schema } from 'mongoose';

/** Where start-up reports what it found (pino's Logger fits). */
export interface StartupWarnings {
  warn(details: Record<string, unknown>, message: string): void;
}

type IndexKey = Record<string, unknown>;
type IndexOptions = CreateIndexesOptions;
type ExistingIndex = IndexDescriptionInfo;
/** The parts of a mongoose model this needs. */
interface IndexedModel {
  collection: Collection;
  schema: Schema;
}

/** The server's conflicts: IndexOptionsConflict, IndexKeySpecsConflict, and duplicate keys while building a unique index. */
const CONFLICT_CODES = new Set([85, 86, 11000, 11001]);

function defaultName(key: IndexKey): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join('_');
}

function sameKey(a: IndexKey, b: IndexKey): boolean {
  // Order matters in an index key, so the entries are compared in order.
  return JSON.stringify(Object.entries(a)) === JSON.stringify(Object.entries(b));
}

/**
 * Only uniqueness is compared here: a sparse or partial difference is left to the server, which
 * refuses it (IndexOptionsConflict, caught below). CongoDB's index listing omits those options,
 * so comparing them here would take our own indexes for conflicts at every restart.
 */
function sameUniqueness(existing: ExistingIndex, ours: IndexOptions): boolean {
  return (existing.unique === true) === (ours.unique === true);
}

function describe(index: { key: IndexKey; unique?: boolean }): string {
  return `${JSON.stringify(index.key)}${index.unique === true ? ' unique' : ''}`;
}

async function existingIndexes(model: IndexedModel): Promise<ExistingIndex[]> {
  try {
    return await model.collection.indexes();
  } catch (error) {
    // A collection that does not exist yet has no indexes (NamespaceNotFound).
    if ((error as { code?: number }).code === 26) return [];
    throw error;
  }
}

function reportConflict(warnings: StartupWarnings, collection: string, ours: { key: IndexKey } & IndexOptions, what: string): void {
  const fields = Object.keys(ours.key).join(', ');
  warnings.warn(
    { collection, index: ours.name ?? defaultName(ours.key), fields },
    `MongoDB ${collection}: ${what}; our index ${describe(ours)} was not created and the api keeps running` +
      (ours.unique === true ? `, so the database does not enforce uniqueness of ${fields} (docs/migrating-from-flask.md)` : ''),
  );
}

export async function ensureIndexesReporting(model: IndexedModel, warnings: StartupWarnings): Promise<void> {
  const collection = model.collection.collectionName;
  const existing = await existingIndexes(model);
  for (const [key, options] of model.schema.indexes() as [IndexKey, IndexOptions][]) {
    const ours = { key, ...options };
    const name = options.name ?? defaultName(key);
    const clash = existing.find((index) => sameKey(index.key, key) && !sameUniqueness(index, options)) ?? existing.find((index) => index.name === name && !sameKey(index.key, key));
    if (clash) {
      reportConflict(warnings, collection, ours, `the existing index "${clash.name ?? defaultName(clash.key)}" ${describe(clash)} conflicts with ours`);
      continue;
    }
    try {
      // Our schemas' keys are field-to-direction maps, which the driver takes as they are.
      await model.collection.createIndex(key as IndexSpecification, options);
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code === undefined || !CONFLICT_CODES.has(code)) throw error;
      reportConflict(warnings, collection, ours, `the server refused our index (${error instanceof Error ? error.message : String(error)})`);
    }
  }
}
