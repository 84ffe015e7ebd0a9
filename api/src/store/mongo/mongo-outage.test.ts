/**
 * An outage fails fast: with the database gone, a read and a write each end in
 * StorageFailureError (STORAGE_UNAVAILABLE to clients) within seconds, instead of mongoose holding
 * them for 10 s and the driver looking for a server for 30. Runs against CongoDB (no MongoDB here).
 */
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { startCongoDb } from '../../test-support/congodb.js';
import { StorageFailureError } from '../errors.js';
import { MONGO_CONNECTION_OPTIONS, openMongoStore } from './mongo-store.js';

describe('MongoDB store in an outage', () => {
  it('fails reads and writes with StorageFailureError instead of queueing them', { timeout: 60_000 }, async () => {
    const congo = await startCongoDb();
    const store = await openMongoStore(congo.uri, { dbName: 'outage' });
    try {
      await store.users.create({ username: 'alice', passwordHash: 'h', role: 'USER' });
      await congo.stop();
      const started = Date.now();
      await expect(store.users.findByUsername('alice')).rejects.toBeInstanceOf(StorageFailureError);
      await expect(store.locks.allocateCounter('d1')).rejects.toBeInstanceOf(StorageFailureError);
      // Both within the 5 s server selection each (10 s here), where the defaults took over 30 s.
      expect(Date.now() - started).toBeLessThan(2 * MONGO_CONNECTION_OPTIONS.serverSelectionTimeoutMS + 5_000);
    } finally {
      await store.close();
    }
  });

  it('asks every write to wait for a majority', async () => {
    const congo = await startCongoDb();
    const connection = await mongoose.createConnection(congo.uri, MONGO_CONNECTION_OPTIONS).asPromise();
    try {
      expect(connection.getClient().options.writeConcern).toMatchObject({ w: 'majority' });
    } finally {
      await connection.close();
      await congo.stop();
    }
  });
});
