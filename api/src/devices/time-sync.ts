/**
 * Sends a lock the server's time in a signed `time` message (docs/protocol.md
 * §7a), so that locks need not trust unauthenticated SNTP. It answers a status
 * the server just received — a stale one, one with no time (`ts` 0), or one
 * whose clock drifted — by echoing its (boot, seq): the lock takes the time
 * only for a status it sent moments ago, so a recorded time message is useless
 * later. At most one per lock per second for a stale status, one a minute for
 * drift (a v1 lock ignores them: no point repeating) — but a lock that
 * rebooted (a new boot) is answered at once: it has lost its time; and so is a
 * status in another version than the last answer: a rebooted lock speaks v1
 * until its welcome, then drops the v1 time still on its way (so it waited a
 * second more without time, and an ack it sent meanwhile was dropped as stale).
 */
import type { Logger } from '../app/logger.js';
import type { LockLink } from './broker/lock-link.js';
import type { DeviceKeys } from './device-keys.js';
import { timePayload } from './protocol/server-messages.js';
import type { Topics } from './protocol/topics.js';
import type { LockRecord } from '../store/records.js';

/** An accepted status this far off the server clock gets a time message too (commands allow 30 s). */
export const RESYNC_SKEW_S = 10;
const INTERVAL_MS = { stale: 1000, drift: 60_000 } as const;

export interface TimeSyncDeps {
  link: LockLink;
  keys: DeviceKeys;
  topics: Topics;
  log: Logger;
  now?: () => number;
}

export class TimeSync {
  private readonly lastSent = new Map<string, { at: number; boot: number; v: number }>();
  private readonly now: () => number;

  constructor(private readonly deps: TimeSyncDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Sends the time answering status (boot, seq) unless one went to this lock lately. Never throws. */
  answer(lock: Pick<LockRecord, 'deviceId' | 'secretSealed' | 'protocolVersion'>, boot: number, seq: number, why: keyof typeof INTERVAL_MS): void {
    const now = this.now();
    const last = this.lastSent.get(lock.deviceId);
    if (last !== undefined && last.boot === boot && last.v === lock.protocolVersion && now - last.at < INTERVAL_MS[why]) return;
    if (this.lastSent.size > 50_000) this.lastSent.clear();
    this.lastSent.set(lock.deviceId, { at: now, boot, v: lock.protocolVersion });
    // In the lock's negotiated version (docs/protocol.md §11.3): a v2 lock takes no v1 message after its welcome.
    const keys = this.deps.keys.signingKeys(lock.deviceId, lock.secretSealed);
    const payload = timePayload(keys, lock.protocolVersion, { dev: lock.deviceId, boot, seq, ts: Math.floor(now / 1000) });
    this.deps.link
      .publish(this.deps.topics.of(lock.deviceId, 'cmd'), payload, { qos: 1 })
      .catch((error: unknown) => this.deps.log.warn({ err: error, deviceId: lock.deviceId }, 'time message not sent'));
  }
}
