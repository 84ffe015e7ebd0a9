/**
 * The simulator's copy of the firmware's ServerClock (firmware/src/core/server_clock.cpp): a
 * signed `time` message sets the lock's clock only if it answers a status this lock sent in
 * this boot less than 30 s ago, later than the one the previous accepted time message answered
 * (docs/protocol.md §7a). Pure: the caller supplies its local clock reading.
 */
import { verifyTime } from '../devices/protocol/verify.js';
import { verifyFromServerV2 } from '../devices/protocol/verify-v2.js';
import { usesPurposeKeys, type ProtocolVersion } from '../devices/protocol/versions.js';

/** A time message older than this (since the status it answers) could be a recording. */
export const TIME_ANSWER_WINDOW_MS = 30_000;
const REMEMBERED = 8;

export type TimeOutcome = 'set' | 'invalid' | 'replay' | 'stale';

export class ServerTime {
  private readonly sent: { seq: number; atMs: number }[] = [];
  private answeredSeq = 0;
  /** Server time minus local time, once a time message was taken. */
  private offsetMs: number | null = null;

  get synced(): boolean {
    return this.offsetMs !== null;
  }

  /** Unix seconds by the server's last word, or null before any. */
  nowS(localMs: number): number | null {
    return this.offsetMs === null ? null : Math.floor((localMs + this.offsetMs) / 1000);
  }

  statusSent(seq: number, localMs: number): void {
    this.sent.push({ seq, atMs: localMs });
    if (this.sent.length > REMEMBERED) this.sent.shift();
  }

  /** A new boot: the statuses of the last one can no longer be answered. */
  reset(): void {
    this.sent.length = 0;
    this.answeredSeq = 0;
  }

  /** `key` is K in v1 and the `cmd` key in v2 and v3 (`version`, default 1). */
  apply(ctx: { key: Buffer; version?: ProtocolVersion; deviceId: string; boot: number; localMs: number }, payload: string): TimeOutcome {
    const version = ctx.version ?? 1;
    const verified = usesPurposeKeys(version) ? verifyFromServerV2(ctx.key, payload, ctx.deviceId, ['time'], [version]) : verifyTime(ctx.key, payload, ctx.deviceId);
    if (verified.verdict !== 'valid') return 'invalid';
    const { boot, seq, ts } = verified.message;
    const answered = this.sent.find((entry) => entry.seq === seq);
    if (boot !== ctx.boot || seq <= this.answeredSeq || !answered) return 'replay';
    if (ctx.localMs - answered.atMs > TIME_ANSWER_WINDOW_MS) return 'stale';
    this.answeredSeq = seq;
    // The server wrote ts in whole seconds: count from the start of that second.
    this.offsetMs = ts * 1000 - ctx.localMs;
    return 'set';
  }
}
