/**
 * Runs the rollout job every FIRMWARE_ROLLOUT_INTERVAL on the offline sweep's kind of scheduler:
 * a BullMQ job scheduler with Redis (one run per interval across replicas), else a timer.
 */
import type { Logger } from '../app/logger.js';
import type { Config } from '../config/config.js';
import { BullmqSweepScheduler } from '../offline/bullmq-scheduler.js';
import type { SweepScheduler } from '../offline/sweep-scheduler.js';
import { TimerSweepScheduler } from '../offline/timer-scheduler.js';
import type { FirmwareRollouts } from './firmware-rollouts.js';

export const ROLLOUT_QUEUE = 'firmware-rollout';

export function createRolloutScheduler(config: Pick<Config, 'redis' | 'firmware'>, rollouts: FirmwareRollouts, log: Logger): SweepScheduler {
  const everyMs = config.firmware.rolloutEveryMs;
  const sweep = () => rollouts.tick();
  return config.redis
    ? new BullmqSweepScheduler({ redisUrl: config.redis.url, prefix: `${config.redis.keyPrefix}bull`, queueName: ROLLOUT_QUEUE, everyMs, sweep, log, label: 'firmware rollout' })
    : new TimerSweepScheduler({ everyMs, sweep, log, label: 'firmware rollout' });
}
