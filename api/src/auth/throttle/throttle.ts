/**
 * Sign-in throttling. Each attempt takes a slot in fixed windows keyed by
 * account and by client address *before* the password is checked, so aliased
 * or batched sign-ins running in parallel are counted one by one; a success
 * gives its slots back. A window always expires, so an attacker can slow an
 * account down but never lock its owner out for good.
 */
export interface AttemptCounter {
  /** Adds one to `key`'s window (starting it if needed); returns the new count and ms until it resets. */
  take(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /** Gives one back (a successful sign-in). */
  giveBack(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface ThrottleLimits {
  accountMaxFailures: number;
  accountWindowMs: number;
  addressMaxFailures: number;
  addressWindowMs: number;
}

export type ThrottleVerdict = { allowed: true; release: () => Promise<void> } | { allowed: false; retryAfterSeconds: number };

export class SignInThrottle {
  constructor(
    private readonly counter: AttemptCounter,
    private readonly limits: ThrottleLimits,
  ) {}

  async attempt(account: string, address: string): Promise<ThrottleVerdict> {
    const accountKey = `signin:account:${account}`;
    const addressKey = `signin:address:${address}`;
    const [byAccount, byAddress] = await Promise.all([
      this.counter.take(accountKey, this.limits.accountWindowMs),
      this.counter.take(addressKey, this.limits.addressWindowMs),
    ]);
    const blockedMs = Math.max(
      byAccount.count > this.limits.accountMaxFailures ? byAccount.resetInMs : 0,
      byAddress.count > this.limits.addressMaxFailures ? byAddress.resetInMs : 0,
    );
    const release = async () => {
      await Promise.all([this.counter.giveBack(accountKey), this.counter.giveBack(addressKey)]);
    };
    if (blockedMs > 0) {
      // A refused attempt is not a failure of the password: do not let it extend the count.
      await release();
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(blockedMs / 1000)) };
    }
    return { allowed: true, release };
  }

  close(): Promise<void> {
    return this.counter.close();
  }
}
