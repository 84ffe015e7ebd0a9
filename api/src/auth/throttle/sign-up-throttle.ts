import { throttleKeyOf } from './address-key.js';
import type { AttemptCounter } from './throttle.js';

export interface SignUpLimits {
  /** Sign-up attempts one address may make per window, successful or not. */
  addressMaxAttempts: number;
  addressWindowMs: number;
}

/**
 * Every sign-up costs a strength estimate and a scrypt hash, and every account is a place to
 * keep guessing from: one address gets a few per window. Attempts count whether they succeed or
 * not, so neither the estimator nor the hash can be spun for free.
 */
export class SignUpThrottle {
  constructor(
    private readonly counter: AttemptCounter,
    private readonly limits: SignUpLimits,
  ) {}

  /** Takes one attempt for `address`; returns how many seconds to wait if it is over the limit. */
  async attempt(address: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
    const key = `signup:address:${throttleKeyOf(address)}`;
    const { count, resetInMs } = await this.counter.take(key, this.limits.addressWindowMs);
    if (count <= this.limits.addressMaxAttempts) return { allowed: true };
    await this.counter.giveBack(key); // a refused attempt costs nothing, so it does not extend the count
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(resetInMs / 1000)) };
  }
}
