import mongoose, { type Model } from 'mongoose';
import { guardStore, type StoreObserver } from '../guarded-store.js';
import type { Store } from '../ports.js';
import { createMongoAudit } from './mongo-audit.js';
import { createMongoClaims } from './mongo-claims.js';
import { createMongoLockTransfers } from './mongo-lock-transfers.js';
import { createMongoOfflineKeys } from './mongo-offline-keys.js';
import { createMongoLockShares } from './mongo-lock-shares.js';
import { createMongoCommands } from './mongo-commands.js';
import { openInSteps } from '../open-command.js';
import { createMongoDiagnostics } from './mongo-diagnostics.js';
import { createMongoFirmware } from './mongo-firmware.js';
import { isMongoStorageFailure } from './mongo-errors.js';
import { createMongoLocks } from './mongo-locks.js';
import { createMongoLockSettings } from './mongo-lock-settings.js';
import { createMongoPush } from './mongo-push.js';
import { createModels } from './mongo-models.js';
import { createMongoSessions } from './mongo-sessions.js';
import { createMongoTotp } from './mongo-totp.js';
import { createMongoEmails, createMongoRecoveryTokens } from './mongo-recovery.js';
import { createMongoPasskeys } from './mongo-passkeys.js';
import { createMongoUsers } from './mongo-users.js';
import { ensureIndexesReporting, type StartupWarnings } from './mongo-indexes.js';
import { reportCaseVariantUsernames } from './mongo-username-report.js';

/**
 * - Fail fast in an outage: operations queued while disconnected wait 3 s, not mongoose's 10 (a
 *   reconnect within a blip still serves them), and a server is looked for for 5 s, not 30. The
 *   caller gets STORAGE_UNAVAILABLE and the readiness probe turns red, instead of requests hanging.
 *   (Not `bufferCommands: false`: the models' start-up work would then run before the connection.)
 * - Every write waits for a majority of the replica set (the server's default since MongoDB 5.0,
 *   set here so that a cluster-wide w:1 cannot weaken it): command counters, a lock's (boot, seq),
 *   session rotation and revocation must survive a failover, or a replayed command or refresh token
 *   could be accepted again by the new primary. On a single server it is the same as w:1.
 */
export const MONGO_CONNECTION_OPTIONS = {
  bufferTimeoutMS: 3_000,
  serverSelectionTimeoutMS: 5_000,
  connectTimeoutMS: 5_000,
  writeConcern: { w: 'majority' },
} as const;

/**
 * Connects to MongoDB at `uri` on a connection of its own (not mongoose's
 * global one, so several stores can coexist) and waits until the indexes
 * exist: the unique ones are what make duplicate detection work.
 *
 * Storage failures (network, no primary, disk full…) surface as StorageFailureError.
 *
 * @param options.dbName overrides the database named in the URI (tests use a fresh one per run)
 * @param options.observer told how each write ends (readiness, metrics)
 * @param options.warnings where start-up reports a seed database's conflicting indexes and case-variant usernames
 */
export async function openMongoStore(uri: string, options: { dbName?: string; observer?: StoreObserver; warnings?: StartupWarnings } = {}): Promise<Store> {
  const warnings: StartupWarnings = options.warnings ?? { warn: (_details, message) => process.emitWarning(message) };
  const connection = mongoose.createConnection(uri, { ...MONGO_CONNECTION_OPTIONS, ...(options.dbName === undefined ? {} : { dbName: options.dbName }) });
  const models = createModels(connection);
  let firmware: Store['firmware'];
  try {
    await connection.asPromise();
    // Indexes one by one, a conflict with a seed database's own reported, not fatal (mongo-indexes.ts).
    await Promise.all(
      (Object.values(models) as Model<unknown>[]).map(async (model) => {
        await model.init();
        await ensureIndexesReporting(model, warnings);
      }),
    );
    await reportCaseVariantUsernames(models.users, warnings);
    firmware = await createMongoFirmware(connection);
  } catch (error) {
    await connection.close();
    throw error;
  }

  const locks = createMongoLocks(models);
  const commands = createMongoCommands(models);
  const store: Store = {
    kind: 'mongo',
    users: createMongoUsers(models),
    sessions: createMongoSessions(models),
    locks,
    commands: { ...commands, open: (command, claim, at) => openInSteps(locks, commands, command, claim, at) },
    audit: createMongoAudit(models),
    lockSettings: createMongoLockSettings(models),
    diagnostics: createMongoDiagnostics(models),
    push: createMongoPush(models),
    firmware,
    claims: createMongoClaims(models),
    totp: createMongoTotp(models),
    recoveryTokens: createMongoRecoveryTokens(models),
    emails: createMongoEmails(models),
    lockTransfers: createMongoLockTransfers(models),
    lockShares: createMongoLockShares(models),
    offlineKeys: createMongoOfflineKeys(models),
    passkeys: createMongoPasskeys(models),
    async ping() {
      if (connection.db === undefined) throw new Error('MongoDB connection is not open');
      await connection.db.admin().ping();
    },
    async probeWrite() {
      if (connection.db === undefined) throw new Error('MongoDB connection is not open');
      // One small document of its own, rewritten in place: the write needs no data of the app's.
      await connection.db.collection<{ _id: string; at: Date }>('store_probe').updateOne({ _id: 'probe' }, { $set: { at: new Date() } }, { upsert: true });
    },
    async close() {
      await connection.close();
    },
  };
  return guardStore(store, { isStorageFailure: isMongoStorageFailure, observer: options.observer });
}
