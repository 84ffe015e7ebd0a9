import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll } from 'vitest';
import { startCongoDb, type CongoDb } from '../../test-support/congodb.js';
import type { Store } from '../ports.js';
import { describeStoreContract } from '../store.contract.js';
import { openMongoStore } from './mongo-store.js';

// Tests may read the environment directly; app code gets its config from the config module.
// Unset: CongoDB, a MongoDB wire-protocol server in TypeScript started here (test-support/congodb.ts
// says what a pass against it does not prove).
const givenUri = process.env.MONGODB_URI;
let congo: CongoDb | undefined;
let uri = givenUri ?? '';
beforeAll(async () => {
  if (givenUri) return;
  congo = await startCongoDb();
  uri = congo.uri;
});
afterAll(async () => {
  await congo?.stop();
});

/** A fresh database per store, dropped afterwards, so runs never share or leave data. */
async function dropDatabase(mongodbUri: string, dbName: string): Promise<void> {
  const connection = await mongoose.createConnection(mongodbUri, { dbName }).asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}

const databases = new WeakMap<Store, string>();
describeStoreContract(
  givenUri ? 'MongoDB store contract' : 'MongoDB store contract (CongoDB wire-protocol server)',
  async () => {
    const dbName = `smartlock-test-${randomUUID()}`;
    const store = await openMongoStore(uri, { dbName });
    databases.set(store, dbName);
    return store;
  },
  async (store) => {
    await store.close();
    const dbName = databases.get(store);
    if (dbName !== undefined) await dropDatabase(uri, dbName);
  },
);
