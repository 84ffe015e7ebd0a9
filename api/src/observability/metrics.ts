import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics for one api process; each server gets its own registry (tests run several). */
export class Metrics {
  readonly registry = new Registry();
  readonly graphqlOperations = new Counter({
    name: 'smartlock_graphql_operations_total',
    help: 'GraphQL operations by operation name, type and outcome',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly signInFailures = new Counter({
    name: 'smartlock_signin_failures_total',
    help: 'Failed sign-ins by reason (bad_credentials, throttled)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly passwordDerivations = new Counter({
    name: 'smartlock_password_derivations_total',
    help: 'scrypt derivations by cost (log2 N): sign-ins, sign-ups and the dummy work for unknown users',
    labelNames: ['cost'] as const,
    registers: [this.registry],
  });

  readonly mqttDropped = new Counter({
    name: 'smartlock_mqtt_dropped_total',
    help: 'MQTT messages dropped unread or untrusted, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly mqttAccepted = new Counter({
    name: 'smartlock_mqtt_status_accepted_total',
    help: 'Signed status messages accepted, by kind (change or heartbeat)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly bleUnknownKeys = new Counter({
    name: 'smartlock_ble_unknown_keys_total',
    help: 'Offline (Bluetooth) uses a lock reported with a key id not issued for it',
    registers: [this.registry],
  });
  readonly brokerRefused = new Counter({
    name: 'smartlock_broker_refused_total',
    help: 'Embedded broker refusals by kind (auth, subscribe, publish)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly storeWriteFailures = new Counter({
    name: 'smartlock_store_write_failures_total',
    help: 'Store writes that failed because the storage did (disk full, I/O error, database unreachable), by repository method',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly eventBusFailures = new Counter({
    name: 'smartlock_event_bus_failures_total',
    help: 'Cross-replica event failures by kind (publish, subscriber_lost, unreadable); each may mean missed live events',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly backups = new Counter({
    name: 'smartlock_backups_total',
    help: 'Scheduled SQLite backups (BACKUP_CRON) by result: ok or failed',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly pushSent = new Counter({
    name: 'smartlock_push_notifications_total',
    help: 'Web push notifications by outcome: delivered, gone (404/410: subscription removed), failed (push service error or unreachable), dropped (queue full)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'smartlock_' });
  }
}
