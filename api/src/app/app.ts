/**
 * Composition root: config in, a running api out. Opens the store, Redis and
 * the broker, builds the services, starts ingest and the offline sweep, and
 * serves HTTP/WebSocket. Parts stop in reverse order.
 */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { AuditService } from '../audit/audit.service.js';
import type { Config } from '../config/config.js';
import { resolveSecrets } from '../config/secrets.js';
import { ClientIdClaims } from '../devices/client-id-claims.js';
import { StoreDeviceAuthenticator } from '../devices/device-authenticator.js';
import { LockTransport } from '../devices/lock-transport.js';
import { DeviceKeys } from '../devices/device-keys.js';
import { lockAccount } from '../devices/broker/broker-password.js';
import { rotationPhase } from '../devices/key-rotation.js';
import { Topics } from '../devices/protocol/topics.js';
import type { EventBus } from '../events/events.js';
import { MemoryEventBus } from '../events/memory-event-bus.js';
import { RedisEventBus } from '../events/redis-event-bus.js';
import { buildAppSchema } from '../graphql/schema.js';
import type { ReadinessCheck } from '../http/routes.js';
import { startMetricsServer } from '../http/metrics-endpoint.js';
import { createHttpServer } from '../http/server.js';
import type { OperationWatch } from '../http/operation-watch.js';
import { Metrics } from '../observability/metrics.js';
import { BullmqSweepScheduler } from '../offline/bullmq-scheduler.js';
import { createAlertSweep } from '../alerts/alert-sweep.js';
import { createOfflineSweep } from '../offline/offline-sweep.js';
import { markLocksUnreachableAfterRestart } from '../offline/restart-availability.js';
import type { Sweep, SweepScheduler } from '../offline/sweep-scheduler.js';
import { TimerSweepScheduler } from '../offline/timer-scheduler.js';
import { OverloadControl } from '../overload/overload-control.js';
import { createRetentionScheduler } from '../retention/retention-scheduler.js';
import { createRolloutScheduler } from '../firmware/rollout-scheduler.js';
import { startBackupSchedule } from '../backup/backup-schedule.js';
import { checkSealedSecrets } from '../devices/sealed-secrets-check.js';
import { eachLock } from '../store/lock-pages.js';
import { needsProvisioning } from '../store/records.js';
import { openStore } from '../store/open-store.js';
import { StoreHealth } from '../store/store-health.js';
import { Lifecycle } from './lifecycle.js';
import type { Logger } from './logger.js';
import { limitHeapGrowth } from './heap-growth.js';
import { startMessaging } from './messaging.js';
import { createServices, type Services } from './services.js';
import { HomeAssistantBridge } from '../integrations/home-assistant/home-assistant-bridge.js';

export interface RunningApp {
  url: string;
  port: number;
  brokerUrl: string;
  /** The embedded broker's TLS-PSK port, when it has one. */
  brokerTlsPort: number | undefined;
  /** The embedded broker's process id (undefined with an external broker), e.g. for its memory in bench/. */
  brokerPid: () => number | undefined;
  /** The port of the /metrics listener when METRICS_PORT is set. */
  metricsPort: number | undefined;
  topics: Topics;
  services: Services;
  /** The offline sweep, for tests and CLIs that need to run it now. */
  sweep: Sweep;
  /** Operations started over graphql-ws: tests wait for a subscription to be registered with it. */
  websocketOperations: OperationWatch;
  stop(): Promise<void>;
}

export async function startApp(config: Config, log: Logger): Promise<RunningApp> {
  limitHeapGrowth(config.heapGrowingPercent);
  const lifecycle = new Lifecycle(log);
  try {
    const secrets = resolveSecrets(config, log);
    const metrics = new Metrics();
    const storeHealth = new StoreHealth((operation) => metrics.storeWriteFailures.inc({ operation }));
    const sqliteFile = join(config.dataDir, 'smartlock.db');
    const store = await openStore({ mongodbUri: config.mongodbUri, sqliteFile, observer: storeHealth, warnings: log });
    lifecycle.add('store', () => store.close());
    const readiness: ReadinessCheck[] = [{ name: 'store', check: () => storeHealth.check(store) }];

    let redis: Redis | undefined;
    let events: EventBus = new MemoryEventBus();
    if (config.redis) {
      // Fail fast rather than queue: a sign-in should error, not hang, while Redis is away.
      const client = new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
      client.on('error', (error: Error) => log.warn({ err: error.message }, 'redis connection error'));
      await client.connect();
      redis = client;
      lifecycle.add('redis', async () => void (await client.quit()));
      readiness.push({ name: 'redis', check: async () => void (await client.ping()) });
      events = await RedisEventBus.connect(client, `${config.redis.keyPrefix}events:`, log, {
        onFailure: (kind) => metrics.eventBusFailures.inc({ kind }),
        // Another replica's row may be older than the store's by the time it arrives (redis-event-bus.ts).
        refresh: { 'lock.changed': (lock) => store.locks.findByDeviceId(lock.deviceId) },
      });
    }
    const bus = events;
    lifecycle.add('events', () => bus.close());

    // For the parts built before the services (the broker's refusals, restart availability).
    const earlyAudit = new AuditService(store.audit, log);
    earlyAudit.attachEvents(bus);
    if (!config.mqtt.url) {
      // Before the embedded broker exists, so no lock can have reconnected yet (see restart-availability.ts).
      await markLocksUnreachableAfterRestart({ store, audit: earlyAudit, events: bus, log });
    }

    const topics = new Topics(config.mqtt.topicPrefix);
    const keys = new DeviceKeys(secrets.secretsKeys);
    await checkSealedSecrets(eachLock(store.locks), keys);
    lifecycle.add('device key cache', keys.follow(events, log));
    const authenticator = new StoreDeviceAuthenticator(store, keys);
    const claims = new ClientIdClaims({ store, audit: earlyAudit, log });
    // Built before the broker link, which sheds as messages arrive; started with the ingest below.
    const overload = new OverloadControl({ topics, metrics, lagThresholdMs: config.overload.lagMs });
    const transport = new LockTransport({ store, audit: earlyAudit, log, requireTls: config.mqtt.requireTls });
    const messaging = await startMessaging({
      config,
      topics,
      metrics,
      lifecycle,
      log,
      authenticator,
      transport,
      shedder: overload.shedder,
      onServerBacklog: () => overload.monitor.markBehind(),
      onClientIdClaimed: (claimed, by) => claims.report(claimed, by),
    });
    const reservedDeviceIds = [messaging.serverUsername];
    const brokerPorts = messaging.brokerPort !== undefined ? { plain: messaging.brokerPort, tls: messaging.brokerTlsPort } : undefined;
    const services = createServices({
      config,
      secrets,
      store,
      log,
      redis,
      events,
      link: messaging.link,
      topics,
      metrics,
      reservedDeviceIds,
      accounts: messaging.accounts,
      keys,
      overload,
      ...(brokerPorts ? { brokerPorts } : {}),
    });
    overload.attachIngest(services.ingest);
    lifecycle.add('throttle', () => services.throttle.close());
    lifecycle.add('mail', async () => services.mailer?.close());
    // Stops before the store closes: what is queued is still sent (each push has a timeout).
    lifecycle.add('push notifications', () => services.push.notifier.idle());

    // Stops after the ingest (registered before it), so that what the ingest finishes is written too.
    lifecycle.add('diagnostics', () => services.diagnostics.stop());
    services.diagnostics.start();
    messaging.link.onMessage((message) => {
      if (!services.claims.handle(message)) services.ingest.handle(message);
    });
    services.claims.start();
    services.shareDirectory.start();
    lifecycle.add('share directory', () => Promise.resolve(services.shareDirectory.stop()));
    services.offlineKeys.start();
    lifecycle.add('offline keys', () => Promise.resolve(services.offlineKeys.stop()));
    lifecycle.add('claims', () => services.claims.stop());
    // Registered before the link so that it stops after it: once no message can
    // arrive any more, ingest finishes what it holds and writes batched heartbeats.
    lifecycle.add('ingest', () => services.ingest.stop());
    await messaging.link.start();
    lifecycle.add('mqtt link', () => messaging.link.stop());
    readiness.push({ name: 'mqtt', check: () => (messaging.link.isConnected() ? Promise.resolve() : Promise.reject(new Error('not connected'))) });
    services.ingest.start();
    // Locks registered, rotated or removed while the broker missed it (a crash between the two writes);
    // a lock in an over-the-air rotation gets its current secret's password (docs/protocol.md §13.3).
    // A page of locks at a time, keys not cached (the ingest caches those of the locks that talk).
    await messaging.accounts.reconcile(async () => {
      const accounts = [];
      for await (const lock of eachLock(store.locks)) {
        if (needsProvisioning(lock)) continue;
        const account = lockAccount(lock.deviceId, keys.openUncached(lock.deviceId, lock.secretSealed), lock.protocolVersion);
        accounts.push({ ...account, rotating: rotationPhase(lock) !== null });
      }
      return accounts;
    });
    if (messaging.brokerTlsPort !== undefined) await transport.logStillPlain();
    overload.start();
    lifecycle.add('overload monitor', () => Promise.resolve(overload.stop()));
    lifecycle.add('command timers', () => Promise.resolve(services.commands.stop()));
    if (config.homeAssistant) {
      const bridge = new HomeAssistantBridge({ settings: config.homeAssistant, store, commands: services.commands, audit: services.audit, events, log });
      bridge.start();
      lifecycle.add('home assistant bridge', () => bridge.stop());
    }

    if (config.auth.bootstrapAdmin) {
      const { username, password } = config.auth.bootstrapAdmin;
      const outcome = await services.users.ensureAdmin(username, password, services.hasher);
      log.info({ username, outcome }, 'bootstrap admin checked');
    }

    const offlineSweep = createOfflineSweep({
      store,
      flushHeartbeats: () => services.ingest.flush(),
      commands: services.commands,
      audit: services.audit,
      events,
      offlineAfterMs: config.locks.offlineAfterMs,
      liveness: overload.liveness,
      log,
    });
    // Time-based alerts ride on the same once-per-interval run across replicas (alerts/alert-sweep.ts).
    const alertSweep = createAlertSweep({ store, alerts: services.alerts });
    const sweep = async (): Promise<void> => {
      await offlineSweep();
      await alertSweep();
    };
    // Commands left SENT by a previous run are reconciled now rather than at the first sweep.
    await services.commands.expireOverdue();
    const everyMs = config.locks.offlineSweepMs;
    const scheduler: SweepScheduler = config.redis
      ? new BullmqSweepScheduler({ redisUrl: config.redis.url, prefix: `${config.redis.keyPrefix}bull`, queueName: 'offline-sweep', everyMs, sweep, log })
      : new TimerSweepScheduler({ everyMs, sweep, log });
    await scheduler.start();
    lifecycle.add('sweep scheduler', () => scheduler.stop());
    const retention = createRetentionScheduler(config, store, log);
    await retention.start();
    lifecycle.add('retention scheduler', () => retention.stop());
    if (config.backup.cron && store.kind === 'sqlite') {
      const backups = startBackupSchedule({ ...config.backup, cron: config.backup.cron, dbFile: sqliteFile, log, onResult: (ok) => metrics.backups.inc({ result: ok ? 'ok' : 'failed' }) });
      log.info({ cron: config.backup.cron, dir: config.backup.dir, next: backups.nextAt }, 'scheduled backups');
      lifecycle.add('backup schedule', () => backups.stop());
    } else if (config.backup.cron) log.warn('BACKUP_CRON is for the SQLite store: back MongoDB up with mongodump (docs/operations.md)');

    const metricsServer = await startMetricsServer(config, metrics, log);
    if (metricsServer) lifecycle.add('metrics', () => metricsServer.stop());
    else if (!config.metrics.openOnAppPort && !config.metrics.token) log.warn('/metrics is not served: set METRICS_TOKEN or METRICS_PORT for Prometheus');
    const http = await createHttpServer(config, services, await buildAppSchema(events), log, readiness, messaging.openRelayed);
    const port = await http.listen();
    services.firmware.urls.bound(port);
    // After listen: update URLs carry the bound port.
    const rollouts = createRolloutScheduler(config, services.firmware.rollouts, log);
    await rollouts.start();
    lifecycle.add('firmware rollout scheduler', () => rollouts.stop());
    lifecycle.add('http', () => http.stop());
    const shownHost = config.http.host === '0.0.0.0' || config.http.host === '::' ? 'localhost' : config.http.host;
    const url = `http://${shownHost}:${port}`;
    log.info({ url, playground: `${url}/playground/`, store: store.kind, redis: Boolean(redis), broker: messaging.brokerUrl }, `Smartlock api listening on ${url}`);
    return { url, port, brokerUrl: messaging.brokerUrl, brokerTlsPort: messaging.brokerTlsPort, brokerPid: messaging.brokerPid ?? (() => undefined), metricsPort: metricsServer?.port, topics, services, sweep, websocketOperations: http.websocketOperations, stop: () => lifecycle.stopAll() };
  } catch (error) {
    await lifecycle.stopAll();
    throw error;
  }
}

