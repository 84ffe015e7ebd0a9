/**
 * A MongoDB wire-protocol server for tests: CongoDB, written in TypeScript and shipped inside
 * `@push.rocks/smartmongo@2.2.0` (MIT). No real MongoDB can be installed where this project is
 * developed, so the store contract runs against this when MONGODB_URI is unset.
 *
 * Its dependency mongodb-memory-server (which downloads `mongod` on postinstall) and the two other
 * packages CongoDB never loads are replaced by an empty package (root package.json `overrides`,
 * tools/npm-stub).
 *
 * Two limits of its in-memory storage are lifted here, on the prototype, before it starts:
 * - an `_id` that is not an ObjectId (our collections use string ids) was turned into an ObjectId,
 *   which throws for most strings: it is kept as it is;
 * - unique secondary indexes were not enforced: inserts and updates now fail with E11000 as MongoDB's,
 *   and a partial index's filter (which it dropped) is kept and honoured.
 *
 * What passing the contract here does NOT prove, since CongoDB is not MongoDB: real sort and
 * comparison semantics (it uses mingo and `localeCompare`), concurrency and atomicity of concurrent
 * writers, transactions, replica sets and write concern, index use and query plans, and the driver's
 * behaviour under failover. docs/architecture.md "Storage" says the same.
 */
import type { AddressInfo, Server } from 'node:net';

type Doc = Record<string, unknown> & { _id?: unknown };
interface IndexSpec {
  name: string;
  key: Record<string, unknown>;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Record<string, unknown>;
}
/** The parts of CongoDB's MemoryStorageAdapter the patch replaces or reads (its fields are private in its types). */
interface StorageInternals {
  indexes: Map<string, Map<string, IndexSpec[]>>;
  ensureCollection(dbName: string, collName: string): Map<string, Doc>;
  insertOne(dbName: string, collName: string, doc: Doc): Promise<Doc>;
  findById(dbName: string, collName: string, id: unknown): Promise<Doc | null>;
  updateById(dbName: string, collName: string, id: unknown, doc: Doc): Promise<boolean>;
  deleteById(dbName: string, collName: string, id: unknown): Promise<boolean>;
}

export interface CongoDb {
  /** `mongodb://127.0.0.1:<port>/?…` */
  uri: string;
  stop(): Promise<void>;
}

interface CongoModule {
  CongoServer: new (options: { port: number; host: string; storage: 'memory' }) => { start(): Promise<void>; stop(): Promise<void> };
  MemoryStorageAdapter: { prototype: unknown };
  IndexEngine: { prototype: unknown };
  ObjectId: new () => { toHexString(): string };
  plugins: { mingo: { Query: new (criteria: Record<string, unknown>) => { test(doc: Doc): boolean } } };
}

let patched = false;

function keyOfId(id: unknown, objectId: CongoModule['ObjectId']): string {
  if (id instanceof objectId) return `oid:${id.toHexString()}`;
  return typeof id === 'string' ? `s:${id}` : `x:${JSON.stringify(id)}`;
}

function keyOfValue(value: unknown, objectId: CongoModule['ObjectId']): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof objectId) return `oid:${value.toHexString()}`;
  if (value instanceof Date) return `date:${value.getTime()}`;
  return `${typeof value}:${JSON.stringify(value)}`;
}

/** `work`'s result or what it threw, as a promise (the storage methods are async). */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function duplicateKey(message: string): Error {
  return Object.assign(new Error(`E11000 duplicate key error ${message}`), { code: 11000, codeName: 'DuplicateKey' });
}

/** The parts of CongoDB's IndexEngine the patch wraps. */
interface IndexEngineInternals {
  storage: StorageInternals & { saveIndex(dbName: string, collName: string, name: string, spec: Omit<IndexSpec, 'name'>): Promise<void> };
  dbName: string;
  collName: string;
  createIndex(key: Record<string, unknown>, options?: Omit<IndexSpec, 'name' | 'key'> & { name?: string }): Promise<string>;
}

function patchStorage({ MemoryStorageAdapter, IndexEngine, ObjectId, plugins }: CongoModule): void {
  if (patched) return;
  patched = true;
  const storage = MemoryStorageAdapter.prototype as StorageInternals;
  const indexEngine = IndexEngine.prototype as IndexEngineInternals;

  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its own `this`
  const createIndex = indexEngine.createIndex;
  indexEngine.createIndex = async function createIndexKeepingFilter(this: IndexEngineInternals, key, options) {
    const name = await createIndex.call(this, key, options);
    if (options?.partialFilterExpression) {
      const { unique, sparse, partialFilterExpression } = options;
      await this.storage.saveIndex(this.dbName, this.collName, name, { key, unique, sparse, partialFilterExpression });
    }
    return name;
  };

  function checkUnique(self: StorageInternals, dbName: string, collName: string, doc: Doc, idKey: string): void {
    const collection = self.ensureCollection(dbName, collName);
    for (const index of self.indexes.get(dbName)?.get(collName) ?? []) {
      if (!index.unique || index.name === '_id_') continue;
      const fields = Object.keys(index.key);
      if (index.sparse && fields.every((field) => doc[field] === undefined)) continue;
      // A partial index holds only the documents its filter matches (e.g. commands' idempotency keys).
      const inIndex = index.partialFilterExpression ? (d: Doc) => new plugins.mingo.Query(index.partialFilterExpression!).test(d) : () => true;
      if (!inIndex(doc)) continue;
      const keyOf = (d: Doc) => fields.map((field) => keyOfValue(d[field], ObjectId)).join('|');
      const mine = keyOf(doc);
      for (const [otherKey, other] of collection) {
        if (otherKey !== idKey && inIndex(other) && keyOf(other) === mine) throw duplicateKey(`collection: ${dbName}.${collName} index: ${index.name}`);
      }
    }
  }

  storage.insertOne = function insertOne(this: StorageInternals, dbName, collName, doc) {
    const collection = this.ensureCollection(dbName, collName);
    const stored: Doc = { ...doc, _id: doc._id ?? new ObjectId() };
    const idKey = keyOfId(stored._id, ObjectId);
    return settle(() => {
      if (collection.has(idKey)) throw duplicateKey(`_id ${idKey}`);
      checkUnique(this, dbName, collName, stored, idKey);
      collection.set(idKey, stored);
      return stored;
    });
  };
  storage.findById = function findById(this: StorageInternals, dbName, collName, id) {
    return Promise.resolve(this.ensureCollection(dbName, collName).get(keyOfId(id, ObjectId)) ?? null);
  };
  storage.updateById = function updateById(this: StorageInternals, dbName, collName, id, doc) {
    const collection = this.ensureCollection(dbName, collName);
    const idKey = keyOfId(id, ObjectId);
    return settle(() => {
      if (!collection.has(idKey)) return false;
      checkUnique(this, dbName, collName, doc, idKey);
      collection.set(idKey, doc);
      return true;
    });
  };
  storage.deleteById = function deleteById(this: StorageInternals, dbName, collName, id) {
    return Promise.resolve(this.ensureCollection(dbName, collName).delete(keyOfId(id, ObjectId)));
  };
}

/** Starts CongoDB on a free port of 127.0.0.1, in this process, with empty in-memory storage. */
export async function startCongoDb(): Promise<CongoDb> {
  // An ES module: a dynamic import from this CommonJS package.
  const congo = (await import('@push.rocks/smartmongo/dist_ts/congodb/index.js')) as unknown as CongoModule;
  patchStorage(congo);
  const server = new congo.CongoServer({ port: 0, host: '127.0.0.1', storage: 'memory' });
  await server.start();
  // It reports the port it was asked for (0); the listening socket knows the real one.
  const { port } = (server as unknown as { server: Server }).server.address() as AddressInfo;
  // Polling monitors: it answers the driver's streaming (exhaust) hello wrongly, and the pool then
  // fails whatever operation is in flight ("Server ended moreToCome unexpectedly").
  return { uri: `mongodb://127.0.0.1:${port}/?directConnection=true&serverMonitoringMode=poll`, stop: () => server.stop() };
}
