import mongoose from 'mongoose';
import type { Store } from '../ports.js';
import { createMongoAudit } from './mongo-audit.js';
import { createMongoCommands } from './mongo-commands.js';
import { createMongoLocks } from './mongo-locks.js';
import { createModels } from './mongo-models.js';
import { createMongoSessions } from './mongo-sessions.js';
import { createMongoUsers } from './mongo-users.js';

/**
 * Connects to MongoDB at `uri` on a connection of its own (not mongoose's
 * global one, so several stores can coexist) and waits until the indexes
 * exist: the unique ones are what make duplicate detection work.
 *
 * @param options.dbName overrides the database named in the URI (tests use a fresh one per run)
 */
export async function openMongoStore(uri: string, options: { dbName?: string } = {}): Promise<Store> {
  const connection = mongoose.createConnection(uri, options.dbName === undefined ? {} : { dbName: options.dbName });
  const models = createModels(connection);
  try {
    await connection.asPromise();
    // init() resolves once autoIndex has created the indexes (it never drops any, so a seed database keeps its own).
    await Promise.all([
      models.users.init(),
      models.sessions.init(),
      models.locks.init(),
      models.commands.init(),
      models.audit.init(),
    ]);
  } catch (error) {
    await connection.close();
    throw error;
  }

  return {
    kind: 'mongo',
    users: createMongoUsers(models),
    sessions: createMongoSessions(models),
    locks: createMongoLocks(models),
    commands: createMongoCommands(models),
    audit: createMongoAudit(models),
    async ping() {
      if (connection.db === undefined) throw new Error('MongoDB connection is not open');
      await connection.db.admin().ping();
    },
    async close() {
      await connection.close();
    },
  };
}
