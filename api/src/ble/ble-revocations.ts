/**
 * The revocation list a v3 lock keeps for Bluetooth offline keys (`blerev`, docs/protocol.md's BLE
 * section): signed with the cmd key, `ctr` from the command counter (so the lock's replay rule
 * covers it), the whole list each time. Sent when the lock's set of revoked, unexpired keys differs
 * from the last list sent, and again after each welcome while that list is not acked (like a cfg,
 * §11.7). Keys that merely expire do not cause a send: the lock refuses them by their window.
 *
 * More than MAX_BLEREV_KIDS revoked keys: the newest are listed and `before` is one second after the
 * newest `nb` left off, so every key issued before it is refused (its holder fetches a new one when
 * online). Derived from the store, not the clock, so a re-sent list revokes nothing issued since.
 */
import { randomUUID } from 'node:crypto';
import type { AckMessage } from '../devices/protocol/messages.js';
import { BLEREV_ID_PREFIX, MAX_BLEREV_KIDS, blerevPayload } from '../devices/protocol/messages-v3-ble.js';
import type { AuditedSenderDeps } from '../devices/signed-sender-deps.js';
import type { LockRecord } from '../store/records.js';

/** Locks that keep a revocation list (protocol v3). */
export function speaksBluetooth(lock: Pick<LockRecord, 'protocolVersion'>): boolean {
  return lock.protocolVersion === 3;
}

export type BleRevocationsDeps = AuditedSenderDeps;

export interface RevocationList {
  before: number;
  kids: string;
}

export class BleRevocations {
  private readonly now: () => number;

  constructor(private readonly deps: BleRevocationsDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Whether an ack answers a blerev (rather than a command, a cfg or a rekey). */
  static answers(ack: AckMessage): boolean {
    return ack.id.startsWith(BLEREV_ID_PREFIX);
  }

  /** The list the lock should hold now. */
  async current(deviceId: string): Promise<RevocationList> {
    const revoked = await this.deps.store.offlineKeys.revokedUnexpired(deviceId, Math.floor(this.now() / 1000));
    const listed = revoked.slice(0, MAX_BLEREV_KIDS);
    const leftOff = revoked[MAX_BLEREV_KIDS];
    return { before: leftOff ? leftOff.nb + 1 : 0, kids: listed.map((key) => key.kid).join(',') };
  }

  /** Sends the list if it differs from the last one sent (a v3 lock only). Never throws. */
  async sync(lock: LockRecord): Promise<void> {
    if (!speaksBluetooth(lock)) return;
    await this.guard(lock, async () => {
      const list = await this.current(lock.deviceId);
      const last = await this.deps.store.offlineKeys.findList(lock.deviceId);
      if (last ? last.kids === list.kids && last.before === list.before : list.kids === '' && list.before === 0) return;
      await this.send(lock, list);
    });
  }

  /** After a welcome: the list again while the last one is not acked (or has changed meanwhile). */
  async afterWelcome(lock: LockRecord): Promise<void> {
    if (!speaksBluetooth(lock)) return;
    await this.guard(lock, async () => {
      const last = await this.deps.store.offlineKeys.findList(lock.deviceId);
      const list = await this.current(lock.deviceId);
      const same = last !== null && last.kids === list.kids && last.before === list.before;
      if (last === null ? list.kids === '' && list.before === 0 : same && last.ackedAt !== null) return;
      await this.send(lock, list);
    });
  }

  /** The lock's answer to a blerev (from a signed status). Audited once, when it names the last list. */
  async acked(lock: LockRecord, ack: AckMessage): Promise<void> {
    if (ack.result !== 'ok') {
      await this.deps.audit.record({ actor: null, action: 'lock.ble_revocation_applied', deviceId: lock.deviceId, result: ack.result, detail: `${ack.id}: ${ack.reason ?? ''}` }, lock.owner);
      return;
    }
    if (await this.deps.store.offlineKeys.ackList(lock.deviceId, ack.id, new Date(this.now()))) {
      await this.deps.audit.record({ actor: null, action: 'lock.ble_revocation_applied', deviceId: lock.deviceId, result: 'ok', detail: ack.id }, lock.owner);
    }
  }

  private async send(lock: LockRecord, list: RevocationList): Promise<void> {
    const ctr = await this.deps.store.locks.allocateCounter(lock.deviceId);
    if (ctr === null) return; // removed meanwhile
    const id = `${BLEREV_ID_PREFIX}${randomUUID()}`;
    const now = this.now();
    // Recorded before it is sent, so an ack that comes at once finds it.
    await this.deps.store.offlineKeys.putList({ deviceId: lock.deviceId, listId: id, before: list.before, kids: list.kids, sentAt: new Date(now) });
    const keys = this.deps.keys.signingKeys(lock.deviceId, lock.secretSealed);
    const payload = blerevPayload(keys.cmd(), { dev: lock.deviceId, id, ctr, ts: Math.floor(now / 1000), before: list.before, kids: list.kids });
    await this.deps.link.publish(this.deps.topics.of(lock.deviceId, 'cmd'), payload, { qos: 1 });
    const count = list.kids === '' ? 0 : list.kids.split(',').length;
    await this.deps.audit.record({ actor: null, action: 'lock.ble_revocation_sent', deviceId: lock.deviceId, result: 'SENT', detail: `${id}: ${count} keys, before ${list.before}` }, lock.owner);
  }

  private async guard(lock: LockRecord, work: () => Promise<void>): Promise<void> {
    await work().catch((error: unknown) => this.deps.log.warn({ err: error, deviceId: lock.deviceId }, 'Bluetooth revocation list not sent'));
  }
}
