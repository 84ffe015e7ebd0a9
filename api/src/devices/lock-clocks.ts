/**
 * What the server does about a lock's clock (docs/protocol.md §6 "Stale
 * statuses" and §7a): a lock whose statuses are dropped as stale is shown
 * Unavailable with issue "Clock out of sync" and sent the server's time; a lock
 * whose accepted statuses drift is sent the time before its commands would be
 * refused as stale.
 */
import type { AuditService } from '../audit/audit.service.js';
import type { EventBus } from '../events/events.js';
import type { Store } from '../store/ports.js';
import type { LockRecord, ProtocolVersion } from '../store/records.js';
import { RESYNC_SKEW_S, type TimeSync } from './time-sync.js';

export const CLOCK_OUT_OF_SYNC = 'Clock out of sync';

export interface LockClocksDeps {
  store: Store;
  events: EventBus;
  audit: AuditService;
  timeSync: TimeSync;
}

/** What the answer needs of the status it answers: the version it was signed in, and its place. */
type AnsweredStatus = { v: ProtocolVersion; boot: number; seq: number };

export class LockClocks {
  constructor(private readonly deps: LockClocksDeps) {}

  /** An accepted status `skewS` seconds off our clock. */
  accepted(lock: LockRecord, message: AnsweredStatus, skewS: number): void {
    if (Math.abs(skewS) > RESYNC_SKEW_S) this.deps.timeSync.answer(inVersionOf(lock, message), message.boot, message.seq, 'drift');
  }

  /**
   * A signed status too old, too far ahead or without time: its state is not
   * evidence of now. Unless a status accepted since it arrived (maybe by another
   * replica) shows the lock is fine, marks the lock, announces and audits it.
   */
  async stale(lock: LockRecord, message: AnsweredStatus, receivedAt: number, remember: (lock: LockRecord) => void): Promise<void> {
    this.deps.timeSync.answer(inVersionOf(lock, message), message.boot, message.seq, 'stale');
    await this.outOfSync(lock, receivedAt, remember);
  }

  /**
   * Shows the lock "Clock out of sync". Also for a lock that said hello without the time (it has just
   * booted): until the time reaches it, its statuses and the acks in them are dropped as stale, so a
   * command sent then would end TIMED_OUT though the lock obeyed it. The hello itself gets no time: it
   * is answered by the welcome, after which the lock drops a time in the hello's version (v1); its
   * first status after the welcome gets one.
   */
  async outOfSync(lock: LockRecord, receivedAt: number, remember: (lock: LockRecord) => void): Promise<void> {
    if (lock.state === 'UNAVAILABLE' && lock.issue === CLOCK_OUT_OF_SYNC) return;
    const updated = await this.deps.store.locks.markUnavailableUnlessSeenSince(lock.deviceId, new Date(receivedAt), CLOCK_OUT_OF_SYNC);
    if (!updated) return;
    remember(updated);
    this.deps.events.publish('lock.changed', updated);
    await this.deps.audit.record({ actor: null, action: 'lock.offline', deviceId: lock.deviceId, result: 'UNAVAILABLE', detail: CLOCK_OUT_OF_SYNC }, updated.owner);
  }
}

/**
 * The time goes back in the version of the status it answers, not the lock's stored one: a v2 lock
 * that rebooted speaks v1 until its next welcome, and would drop a v2 `time` then (so it stayed
 * without time, and its acks stale, until after the welcome).
 */
function inVersionOf(lock: LockRecord, message: AnsweredStatus): LockRecord {
  return message.v === lock.protocolVersion ? lock : { ...lock, protocolVersion: message.v };
}
