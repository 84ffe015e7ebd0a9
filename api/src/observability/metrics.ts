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

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'smartlock_' });
  }
}
