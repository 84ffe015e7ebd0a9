/**
 * The PIN Home Assistant must send with an unlock, and the throttle on guessing it: a few wrong
 * PINs are forgiven (typos on a wall tablet), then every unlock is refused for a while, the right
 * PIN included, so that guessing cannot go on at the speed of MQTT.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type PinVerdict = 'ok' | 'wrong' | 'throttled';

export interface PinGuardOptions {
  /** Wrong PINs allowed before the lock-out starts. */
  maxFailures?: number;
  lockoutMs?: number;
  now?: () => number;
}

export class PinGuard {
  private readonly digest: Buffer;
  private failures = 0;
  private lockedUntil = 0;
  private readonly maxFailures: number;
  private readonly lockoutMs: number;
  private readonly now: () => number;
  /** Wrong PINs and refusals since start (for logs and tests). */
  refused = 0;

  constructor(pin: string, options: PinGuardOptions = {}) {
    // Compared as digests: equal lengths for timingSafeEqual, and the PIN's length is not timed either.
    this.digest = sha256(pin);
    this.maxFailures = options.maxFailures ?? 5;
    this.lockoutMs = options.lockoutMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
  }

  check(code: string | undefined): PinVerdict {
    if (this.now() < this.lockedUntil) {
      this.refused += 1;
      return 'throttled';
    }
    if (code !== undefined && timingSafeEqual(sha256(code), this.digest)) {
      this.failures = 0;
      return 'ok';
    }
    this.refused += 1;
    this.failures += 1;
    if (this.failures >= this.maxFailures) {
      this.failures = 0;
      this.lockedUntil = this.now() + this.lockoutMs;
    }
    return 'wrong';
  }

  /** Seconds until unlocks are heard again, 0 when they are. */
  retryAfterSeconds(): number {
    return Math.max(0, Math.ceil((this.lockedUntil - this.now()) / 1000));
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
