/**
 * Counts bad signatures per lock in a window shared by all replicas (Redis
 * when configured: with shared subscriptions each replica sees only part of a
 * flood). The count reaching the threshold raises the lock's alert, once per
 * window, so a flood costs one store read and at most one write per window.
 *
 * Legitimate traffic never counts here: a v2 hello is verified with K (§11.3),
 * v2 statuses with the status key once negotiated (before that they are
 * dropped as `not_negotiated`, not `bad_signature`), and a secret rotated on
 * another replica is re-read before a signature is called bad.
 */
import type { Logger } from '../app/logger.js';
import type { AttemptCounter } from '../auth/throttle/throttle.js';
import type { Store } from '../store/ports.js';
import type { LockAlerts } from './lock-alerts.js';

export interface BadSignatureBurstsDeps {
  counter: AttemptCounter;
  store: Store;
  alerts: LockAlerts;
  count: number;
  windowMs: number;
  log: Logger;
}

export class BadSignatureBursts {
  constructor(private readonly deps: BadSignatureBurstsDeps) {}

  /** Called for every dropped `bad_signature` of a known lock. Never throws. */
  async seen(deviceId: string): Promise<void> {
    try {
      const { count } = await this.deps.counter.take(`alert:badsig:${deviceId}`, this.deps.windowMs);
      if (count !== this.deps.count) return;
      const lock = await this.deps.store.locks.findByDeviceId(deviceId);
      if (lock) await this.deps.alerts.evaluate(lock, { badSignatureBurst: true });
    } catch (err) {
      this.deps.log.warn({ err, deviceId }, 'could not count a bad signature for alerts');
    }
  }
}
