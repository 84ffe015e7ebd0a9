/**
 * How many lock/unlock requests one user may make for one lock: a short burst
 * window and a longer sustained one, counted in fixed windows by the same
 * counters as sign-in throttling (Redis when configured, so replicas share one
 * count; in memory otherwise). A request takes its slots before anything is
 * sent, so concurrent requests are counted one by one. A refused request gives
 * its slots back, so a client that keeps retrying is held back no longer than
 * the window it hit.
 */
import type { AttemptCounter } from '../auth/throttle/throttle.js';

export interface CommandRateLimits {
  burstMax: number;
  burstWindowMs: number;
  sustainedMax: number;
  sustainedWindowMs: number;
}

export type CommandRateVerdict =
  | { allowed: true; release: () => Promise<void> }
  /** `firstRefusal`: the first refusal of this block, the one worth an audit entry. */
  | { allowed: false; retryAfterSeconds: number; firstRefusal: boolean };

export class CommandRateLimit {
  constructor(
    private readonly counter: AttemptCounter,
    private readonly limits: CommandRateLimits,
  ) {}

  async take(username: string, deviceId: string): Promise<CommandRateVerdict> {
    // Neither a username nor a device id can contain ':' (both are validated), so keys cannot collide.
    const scope = `${username}:${deviceId}`;
    const burstKey = `commands:burst:${scope}`;
    const sustainedKey = `commands:sustained:${scope}`;
    const [burst, sustained] = await Promise.all([
      this.counter.take(burstKey, this.limits.burstWindowMs),
      this.counter.take(sustainedKey, this.limits.sustainedWindowMs),
    ]);
    const release = async () => {
      await Promise.all([this.counter.giveBack(burstKey), this.counter.giveBack(sustainedKey)]);
    };
    const blockedMs = Math.max(
      burst.count > this.limits.burstMax ? burst.resetInMs : 0,
      sustained.count > this.limits.sustainedMax ? sustained.resetInMs : 0,
    );
    if (blockedMs <= 0) return { allowed: true, release };
    await release();
    // One marker per block, living as long as the block: only the first refusal sees count 1.
    const notice = await this.counter.take(`commands:refused:${scope}`, blockedMs);
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(blockedMs / 1000)), firstRefusal: notice.count === 1 };
  }

  close(): Promise<void> {
    return this.counter.close();
  }
}
