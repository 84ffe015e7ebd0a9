import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { describe, it } from 'vitest';
import type { Store } from '../ports.js';
import { describeStoreContract } from '../store.contract.js';
import { openMongoStore } from './mongo-store.js';

// Tests may read the environment directly; app code gets its config from the config module.
const uri = process.env.MONGODB_URI;

/** A fresh database per store, dropped afterwards, so runs never share or leave data. */
async function dropDatabase(mongodbUri: string, dbName: string): Promise<void> {
  const connection = await mongoose.createConnection(mongodbUri, { dbName }).asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}

if (uri) {
  const databases = new WeakMap<Store, string>();
  describeStoreContract(
    'MongoDB store contract',
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
} else {
  describe.skip('MongoDB contract (skipped: set MONGODB_URI to run; no MongoDB server on this machine)', () => {
    it('runs the store contract against MongoDB', () => {});
  });
}
