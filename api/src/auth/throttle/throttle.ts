/**
 * Sign-in throttling without lockouts. Nothing blocks an account as such, so failures elsewhere
 * cannot shut its owner out; instead failures are counted per account *and address*:
 *
 * - an address may fail `freeFailures` times on one account (per day) at no cost: typos;
 * - past that, each failure makes that address wait before its next try on that account:
 *   1 s, 2 s, 4 s … up to `maxDelayMs`, and `maxDelayMs` at once while the account is under
 *   attack (`accountMaxFailures` failures from anywhere within `accountWindowMs`);
 * - one address failing on many accounts is stopped for all of them past `addressMaxFailures`
 *   within `addressWindowMs`.
 *
 * An address has one sign-in per account in flight at a time, so parallel (aliased, batched,
 * multi-connection) guesses cannot race past a delay.
 */
import { throttleKeyOf } from './address-key.js';

export interface AttemptCounter {
  /** Adds one to `key`'s window (starting it if needed); returns the new count and ms until it resets. */
  take(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /** Gives one back. */
  giveBack(key: string): Promise<void>;
  /** Sets `key` for `ms` unless it is set; returns 0 if it was claimed, else the ms it has left. */
  claim(key: string, ms: number): Promise<number>;
  /** Sets or replaces `key` for `ms`. */
  hold(key: string, ms: number): Promise<void>;
  /** Removes `key` (a window or a hold). */
  clear(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface ThrottleLimits {
  freeFailures: number;
  maxDelayMs: number;
  accountMaxFailures: number;
  accountWindowMs: number;
  addressMaxFailures: number;
  addressWindowMs: number;
}

/** How long an address and account pair remembers its failures. */
export const PAIR_WINDOW_MS = 24 * 3_600_000;
/** How long one attempt may be in flight before another from the same address may start. */
const IN_FLIGHT_MS = 10_000;
const FIRST_DELAY_MS = 1000;

/** The wait after an address's `pairFailures`-th failure on an account that has had `accountFailures`. */
export function delayAfterFailure(pairFailures: number, accountFailures: number, limits: ThrottleLimits): number {
  if (pairFailures <= limits.freeFailures) return 0;
  if (accountFailures >= limits.accountMaxFailures) return limits.maxDelayMs;
  const doublings = Math.min(pairFailures - limits.freeFailures - 1, 40);
  return Math.min(limits.maxDelayMs, FIRST_DELAY_MS * 2 ** doublings);
}

export interface AllowedAttempt {
  allowed: true;
  /** The password was right: this address's failures on the account are forgotten. */
  succeeded(): Promise<void>;
  /** The password was wrong: counted, and the address may have to wait. */
  failed(): Promise<void>;
  /** Neither (the check itself broke): as if the attempt had not been made. */
  abandoned(): Promise<void>;
}

export type ThrottleVerdict = AllowedAttempt | { allowed: false; retryAfterSeconds: number };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export class SignInThrottle {
  constructor(
    private readonly counter: AttemptCounter,
    private readonly limits: ThrottleLimits,
  ) {}

  async attempt(account: string, address: string): Promise<ThrottleVerdict> {
    const { counter, limits } = this;
    const from = throttleKeyOf(address);
    const holdKey = `signin:hold:${account}:${from}`;
    const pairKey = `signin:pair:${account}:${from}`;
    const accountKey = `signin:account:${account}`;
    const addressKey = `signin:address:${from}`;

    const waitMs = await counter.claim(holdKey, IN_FLIGHT_MS);
    if (waitMs > 0) return { allowed: false, retryAfterSeconds: seconds(waitMs) };
    const byAddress = await counter.take(addressKey, limits.addressWindowMs);
    if (byAddress.count > limits.addressMaxFailures) {
      // A refused attempt is not a failure of the password: it does not extend the count.
      await Promise.all([counter.giveBack(addressKey), counter.clear(holdKey)]);
      return { allowed: false, retryAfterSeconds: seconds(byAddress.resetInMs) };
    }
    return {
      allowed: true,
      async succeeded() {
        await Promise.all([counter.giveBack(addressKey), counter.clear(pairKey), counter.clear(holdKey)]);
      },
      async failed() {
        const [pair, byAccount] = await Promise.all([counter.take(pairKey, PAIR_WINDOW_MS), counter.take(accountKey, limits.accountWindowMs)]);
        const delayMs = delayAfterFailure(pair.count, byAccount.count, limits);
        await (delayMs > 0 ? counter.hold(holdKey, delayMs) : counter.clear(holdKey));
      },
      async abandoned() {
        await Promise.all([counter.giveBack(addressKey), counter.clear(holdKey)]);
      },
    };
  }

  close(): Promise<void> {
    return this.counter.close();
  }
}
