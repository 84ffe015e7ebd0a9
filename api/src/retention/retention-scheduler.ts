/**
 * Runs the retention job on the same kind of scheduler as the offline sweep:
 * a BullMQ job scheduler when Redis is configured (once per interval across
 * all replicas), else an in-process timer. The first run is one interval after
 * start, so a restarting api does not delete on every boot.
 */
import type { Logger } from '../app/logger.js';
import type { Config } from '../config/config.js';
import { BullmqSweepScheduler } from '../offline/bullmq-scheduler.js';
import type { SweepScheduler } from '../offline/sweep-scheduler.js';
import { TimerSweepScheduler } from '../offline/timer-scheduler.js';
import type { Store } from '../store/ports.js';
import { createRetentionJob } from './retention-job.js';

export const RETENTION_QUEUE = 'retention';

/** @param now the job's clock (tests move it instead of waiting days). @default Date.now */
export function createRetentionScheduler(config: Pick<Config, 'redis' | 'retention'>, store: Store, log: Logger, now?: () => number): SweepScheduler {
  const job = createRetentionJob({ store, commandRetentionDays: config.retention.commandDays, auditRetentionDays: config.retention.auditDays, diagnosticsRetentionDays: config.retention.diagnosticsDays, log, now });
  const run = async () => void (await job());
  const everyMs = config.retention.everyMs;
  return config.redis
    ? new BullmqSweepScheduler({ redisUrl: config.redis.url, prefix: `${config.redis.keyPrefix}bull`, queueName: RETENTION_QUEUE, everyMs, sweep: run, log, label: 'retention' })
    : new TimerSweepScheduler({ everyMs, sweep: run, log, label: 'retention' });
}
