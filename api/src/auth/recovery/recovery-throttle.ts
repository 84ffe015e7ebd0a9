/**
 * "Forgot password?" sends mail, so it is limited twice: per client address (one network cannot
 * spray requests across accounts) and per account or address asked about (nobody can fill a
 * mailbox). Over the per-target limit the answer stays the same and no mail goes: it must not
 * tell whether the target exists.
 */
import { throttleKeyOf } from '../throttle/address-key.js';
import type { AttemptCounter } from '../throttle/throttle.js';

export const RECOVERY_LIMITS = {
  /** Requests one client address may make per hour. */
  addressMaxAttempts: 10,
  /** Mails one account or email address may be sent per hour (recovery and verification each). */
  targetMaxMails: 3,
  windowMs: 3_600_000,
} as const;

export type RecoveryVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RecoveryThrottle {
  constructor(private readonly counter: AttemptCounter) {}

  /** One request from `address`; refused with the wait past the limit. */
  async request(address: string): Promise<RecoveryVerdict> {
    return this.take(`recovery:address:${throttleKeyOf(address)}`, RECOVERY_LIMITS.addressMaxAttempts);
  }

  /** One mail to `target` (a kind and an account id or address); false past the limit. */
  async mailTo(target: string): Promise<boolean> {
    return (await this.take(`recovery:mail:${target}`, RECOVERY_LIMITS.targetMaxMails)).allowed;
  }

  private async take(key: string, max: number): Promise<RecoveryVerdict> {
    const { count, resetInMs } = await this.counter.take(key, RECOVERY_LIMITS.windowMs);
    if (count <= max) return { allowed: true };
    await this.counter.giveBack(key);
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(resetInMs / 1000)) };
  }
}
