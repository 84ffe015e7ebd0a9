/**
 * Whether a lock → server message is to be believed, against one known row of its lock: the
 * protocol's checks in order (docs/protocol.md): signature, version, type, device, fields, then
 * (boot, seq) above the last accepted pair, then `ts` within STATUS_MAX_SKEW_S of the time the
 * message arrived. Pure apart from the key cache: the ingest (status-ingest.ts) decides what to do.
 */
import type { LockRecord } from '../store/records.js';
import type { DeviceKeys } from './device-keys.js';
import { verifyIncoming, type LockKeys } from './protocol/incoming.js';
import { deriveKey } from './protocol/keys.js';
import type { HelloMessage, ResetMessage } from './protocol/messages-v2.js';
import type { Rejection } from './protocol/verify.js';
import { sentBeforeStart } from './restart-fence.js';
import { isNewer, type AnyStatus } from './status-changes.js';
import { checkFreshness } from './status-freshness.js';

/**
 * A replayed or stale status is still signed by the lock: its `ack` may be
 * honoured (a lost ordering race does not make the lock's answer untrue) and a
 * stale one says the lock's clock needs the server's time.
 */
export type Trusted = (
  | { ok: true; message: AnyStatus; skewS: number }
  /** A verified v2 hello: not a status, answered by the negotiation. */
  | { ok: 'hello'; message: HelloMessage }
  /** A verified, fresh, new v3 reset: the lock was factory-reset (docs/protocol.md §15.5). */
  | { ok: 'reset'; message: ResetMessage }
  | { ok: false; reason: Rejection | 'not_negotiated'; detail: string; message?: undefined }
  /** A replayed or stale reset: dropped, nothing else to honour. */
  | { ok: false; reason: 'replay' | 'stale'; detail: string; message?: undefined; fresh?: undefined }
  | { ok: false; reason: 'replay' | 'stale'; detail: string; message: AnyStatus; fresh: boolean }
) & {
  /** Signed with the other secret of an over-the-air rotation (key-rotation.ts), not the current one. */
  underOther?: boolean;
};

export class StatusTrust {
  /**
   * @param startedAt statuses sent before this may have been accepted by the previous process (restart-fence.ts).
   * @param maxSkewS STATUS_MAX_SKEW_S
   */
  constructor(
    private readonly keys: DeviceKeys,
    private readonly maxSkewS: number,
    private readonly startedAt: number,
  ) {}

  /** The checks against `lock`'s current secret, then, during a rotation, against its other one. */
  check(lock: LockRecord, text: string, receivedAt: number): Trusted {
    const { keys } = this;
    const lockKeys = { v1: () => keys.open(lock.deviceId, lock.secretSealed), status: () => keys.purpose(lock.deviceId, lock.secretSealed, 'status') };
    const trusted = this.checkUnder(lockKeys, lock, text, receivedAt);
    // During an over-the-air rotation the lock may sign with either secret (§13.3); the other one is not cached.
    const other = lock.secretPendingSealed ?? lock.secretPreviousSealed;
    if (other === null || trusted.ok !== false || trusted.reason !== 'bad_signature') return trusted;
    const otherSecret = keys.openUncached(lock.deviceId, other);
    return { ...this.checkUnder({ v1: () => otherSecret, status: () => deriveKey(otherSecret, 'status') }, lock, text, receivedAt), underOther: true };
  }

  private checkUnder(lockKeys: LockKeys, lock: LockRecord, text: string, receivedAt: number): Trusted {
    const result = verifyIncoming(lockKeys, text, lock.deviceId, lock.protocolVersion);
    if (result.verdict !== 'valid') return { ok: false, reason: result.verdict, detail: result.detail };
    const { message } = result;
    if (message.type === 'hello') return { ok: 'hello', message };
    // Only after a hello chose this version (§11.3, §13): the lock's own key says nothing about what the server agreed to.
    if (message.v !== 1 && message.v !== lock.protocolVersion) return { ok: false, reason: 'not_negotiated', detail: `stored version ${lock.protocolVersion}` };
    if (message.type === 'reset') return this.checkReset(lock, message, receivedAt);
    const freshness = checkFreshness(message.ts, receivedAt, this.maxSkewS);
    if (!isNewer(message.boot, message.seq, lock)) {
      return { ok: false, reason: 'replay', detail: `boot ${message.boot} seq ${message.seq}`, message, fresh: freshness.fresh };
    }
    if (sentBeforeStart(lock, message, this.startedAt)) {
      return { ok: false, reason: 'replay', detail: `boot ${message.boot} seq ${message.seq} sent before a restart`, message, fresh: freshness.fresh };
    }
    if (!freshness.fresh) return { ok: false, reason: 'stale', detail: freshness.detail, message, fresh: false };
    return { ok: true, message, skewS: freshness.skewS };
  }

  /** A reset is believed only new (boot, seq) and fresh: a recorded one must not release a lock later. */
  private checkReset(lock: LockRecord, message: ResetMessage, receivedAt: number): Trusted {
    const freshness = checkFreshness(message.ts, receivedAt, this.maxSkewS);
    if (!isNewer(message.boot, message.seq, lock)) return { ok: false, reason: 'replay', detail: `reset boot ${message.boot} seq ${message.seq}` };
    if (!freshness.fresh) return { ok: false, reason: 'stale', detail: `reset: ${freshness.detail}` };
    return { ok: 'reset', message };
  }
}
