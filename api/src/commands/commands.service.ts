/**
 * Commands end to end: only the owner or an admin may send one, only to an
 * AVAILABLE lock; the counter comes from the store atomically (safe across
 * replicas); the payload is signed with the lock's secret; an ack in a status
 * completes it, and anything still SENT after the timeout — including across
 * an api restart — ends TIMED_OUT.
 *
 * Against flooding: the newest request for a lock wins (the pending one ends
 * SUPERSEDED, decided in the store by counter, so across replicas too),
 * repeats carrying one idempotency key are answered with the command they
 * already caused, and a per-user, per-lock rate limit refuses the excess.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../app/logger.js';
import { commandAuditAction } from '../audit/audit-actions.js';
import type { AuditService } from '../audit/audit.service.js';
import type { LockLink } from '../devices/broker/lock-link.js';
import type { DeviceKeys } from '../devices/device-keys.js';
import type { AckMessage } from '../devices/protocol/messages.js';
import { commandPayload } from '../devices/protocol/server-messages.js';
import type { Topics } from '../devices/protocol/topics.js';
import { AccessWindowClosedError, BadUserInputError, LockOfflineError, NotFoundError, TooManyCommandsError } from '../errors/graphql-errors.js';
import type { EventBus } from '../events/events.js';
import { canSeeLock } from '../locks/lock-access.js';
import { accessOf, seesOnlyOwnActivity } from '../sharing/lock-role.js';
import type { ShareDirectory } from '../sharing/share-directory.js';
import { shareVerdict } from '../sharing/share-verdict.js';
import type { LocksService } from '../locks/locks.service.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { OpenedCommand, Store } from '../store/ports.js';
import type { CommandAction, CommandRecord, CommandState, IdempotencyClaim, LockRecord, Page, PageRequest, UserRecord } from '../store/records.js';
import type { CommandRateLimit } from './command-rate-limit.js';
import { refusedAtOnce } from './refused-at-once.js';

export interface CommandsServiceDeps {
  store: Store;
  locks: LocksService;
  /** Who holds which share, cached: command feeds check it per update. */
  directory: ShareDirectory;
  keys: DeviceKeys;
  audit: AuditService;
  events: EventBus;
  link: LockLink;
  topics: Topics;
  timeoutMs: number;
  rateLimit: CommandRateLimit;
  /** How long a command answers repeats of its idempotency key. */
  idempotencyWindowMs: number;
  log: Logger;
  now?: () => number;
}

const ACK_STATE: Record<AckMessage['result'], Exclude<CommandState, 'SENT'>> = { ok: 'SUCCEEDED', rejected: 'REJECTED', failed: 'FAILED' };

// Printable, unambiguous and short: a UUID fits; spaces, control and format characters do not.
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export class CommandsService {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly now: () => number;

  constructor(private readonly deps: CommandsServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * @param options.actor who the command and its audit entries name, when not the viewer themself:
   * an integration acting for them, e.g. "Home Assistant (alice)". Rights and rate limit stay the viewer's.
   */
  async send(viewer: UserRecord, deviceId: string, action: CommandAction, idempotencyKey?: string, options: { actor?: string } = {}): Promise<CommandRecord> {
    const { store, audit } = this.deps;
    const actor = options.actor ?? viewer.username;
    const { lock, share, admin } = await this.deps.locks.access(viewer, deviceId, 'operate');
    if (share?.role === 'GUEST' && !admin) {
      const verdict = shareVerdict(share, lock, new Date(this.now()));
      if (!verdict.allowed) {
        await audit.record({ actor, action: commandAuditAction(action), deviceId, result: 'ACCESS_WINDOW_CLOSED', detail: verdict.nextAllowedAt ? `opens ${verdict.nextAllowedAt.toISOString()}` : 'never opens again' }, lock.owner);
        throw new AccessWindowClosedError(deviceId, verdict.nextAllowedAt);
      }
    }
    const claim = idempotencyKey === undefined ? undefined : this.claimOf(idempotencyKey);
    if (claim) {
      const earlier = await store.commands.findByIdempotencyKey(deviceId, actor, claim.key, claim.since);
      if (earlier) return sameRequest(earlier, action);
    }
    const allowance = await this.deps.rateLimit.take(viewer.username, deviceId);
    if (!allowance.allowed) {
      if (allowance.firstRefusal) {
        const detail = `retry in ${allowance.retryAfterSeconds} s`;
        await audit.record({ actor, action: commandAuditAction(action), deviceId, result: 'TOO_MANY_COMMANDS', detail }, lock.owner);
      }
      throw new TooManyCommandsError(deviceId, allowance.retryAfterSeconds);
    }
    if (lock.state !== 'AVAILABLE') {
      await audit.record({ actor, action: commandAuditAction(action), deviceId, result: 'LOCK_OFFLINE', detail: null }, lock.owner);
      throw new LockOfflineError(deviceId);
    }
    const id = randomUUID();
    let opened: OpenedCommand | null;
    try {
      opened = await store.commands.open({ id, deviceId, action, requestedBy: actor }, claim, new Date(this.now()));
    } catch (error) {
      // A concurrent copy of this request got there first: answer with its command, send nothing.
      const winner = claim && error instanceof DuplicateKeyError && error.field === 'idempotencyKey'
        ? await store.commands.findByIdempotencyKey(deviceId, actor, claim.key, claim.since)
        : null;
      if (!winner) throw error;
      await allowance.release();
      return sameRequest(winner, action);
    }
    if (opened === null) throw new NotFoundError(`Lock "${deviceId}"`);
    const { command, superseded } = opened;
    for (const older of superseded) await this.announceSuperseded(older, lock.owner);
    // A newer request for this lock came in meanwhile (another replica, say): it wins, this one is not sent.
    const overtaken = superseded.find((c) => c.id === id);
    if (overtaken) return overtaken;
    // The lock may have changed hands since the check above (a transfer accepted meanwhile): the
    // former owner's request must not reach it. A transfer also ends every SENT command
    // (endForTransfer), so what slips between this read and the publish is ended there.
    // Or it went offline meanwhile (its connection lost, or it rebooted and has no time yet, so its
    // ack would be dropped as stale): sent now, it would end TIMED_OUT even if the lock obeyed it.
    const current = await store.locks.findByDeviceId(deviceId);
    const mayOperate = current !== null && (await this.stillMayOperate(viewer, current));
    if (mayOperate && current.state === 'AVAILABLE') return this.publish(command, current);
    const reason = mayOperate ? `the lock went offline${current.issue === null ? '' : `: ${current.issue}`}` : 'the lock changed hands';
    // Null when the transfer ended (and deleted) it first: the answer is the same.
    return (await this.finish(id, 'FAILED', reason, current?.owner ?? null)) ?? { ...command, state: 'FAILED', reason, completedAt: new Date(this.now()) };
  }

  /** Signs the command in the lock's negotiated protocol version (docs/protocol.md §11.3) and sends it. */
  private async publish(command: CommandRecord, lock: Pick<LockRecord, 'owner' | 'secretSealed' | 'protocolVersion'>): Promise<CommandRecord> {
    const { owner } = lock;
    const { audit, keys, topics, link } = this.deps;
    const { id, deviceId, action, counter } = command;
    const body = { dev: deviceId, id, action, ctr: counter, ts: Math.floor(this.now() / 1000) };
    const payload = commandPayload(keys.signingKeys(deviceId, lock.secretSealed), lock.protocolVersion, body);
    this.armTimeout(id);
    // SENT once the command is written to the broker connection, not when the broker's PUBACK
    // comes back: waiting for it held the SENT audit and the answer's own work until the lock's
    // answer was already queued behind them, on the path every person waits on (bench/README.md,
    // "Command round trip"). A link that is down refuses at once (FAILED in the answer); a broker
    // that never acknowledges ends the command FAILED later, announced like any other update.
    const accepted = link.publish(topics.of(deviceId, 'cmd'), payload, { qos: 1 });
    const refusal = await refusedAtOnce(accepted);
    if (refusal !== null) return this.brokerFailed(command, owner, refusal.error);
    accepted.catch((error: unknown) => this.brokerFailed(command, owner, error).catch((failure: unknown) => this.deps.log.error({ err: failure, commandId: id }, 'command failure could not be recorded')));
    this.deps.events.publish('command.updated', command);
    await audit.record({ actor: command.requestedBy, action: commandAuditAction(action), deviceId, result: 'SENT', detail: id }, owner);
    return command;
  }

  /**
   * Completes the command an ack names, if it belongs to this lock and is still SENT.
   * An ack for a SUPERSEDED command leaves it SUPERSEDED (a newer request is what
   * the person wants now) and is only audited: `ok` or `failed` means the lock ran
   * it before the newer one arrived; `rejected` (`replay`) means it arrived after.
   */
  async completeFromAck(deviceId: string, owner: string, ack: AckMessage): Promise<CommandRecord | null> {
    const command = await this.deps.store.commands.findById(ack.id);
    if (!command || command.deviceId !== deviceId) return null; // never let one lock complete another's command
    const done = command.state === 'SENT' ? await this.finish(ack.id, ACK_STATE[ack.result], ack.reason ?? null, owner) : null;
    if (done) return done;
    // Superseded between the read and the write, or before: read again only in the first case.
    const latest = command.state === 'SENT' ? await this.deps.store.commands.findById(ack.id) : command;
    if (latest?.state === 'SUPERSEDED') {
      const answer = ack.reason ? `${ack.result}: ${ack.reason}` : ack.result;
      await this.deps.audit.record(
        { actor: latest.requestedBy, action: commandAuditAction(latest.action), deviceId, result: 'SUPERSEDED_ACK', detail: `${latest.id}: ${answer}` },
        owner,
      );
    }
    return null;
  }

  private async brokerFailed(command: CommandRecord, owner: string, error: unknown): Promise<CommandRecord> {
    this.deps.log.warn({ err: error, deviceId: command.deviceId, commandId: command.id }, 'command could not be published');
    return (await this.finish(command.id, 'FAILED', 'broker unavailable', owner)) ?? command;
  }

  /** Times out every command SENT longer than the timeout (also those left by a previous run). */
  async expireOverdue(): Promise<number> {
    const overdue = await this.deps.store.commands.findSentBefore(new Date(this.now() - this.deps.timeoutMs), 500);
    let expired = 0;
    for (const command of overdue) {
      const lock = await this.deps.store.locks.findByDeviceId(command.deviceId);
      if (await this.finish(command.id, 'TIMED_OUT', 'no ack from the lock', lock?.owner ?? null)) expired += 1;
    }
    return expired;
  }

  /**
   * A transfer was accepted: the lock's SENT commands end FAILED (audited, announced), so none of
   * the former owner's requests completes or is sent afterwards, and the command history goes
   * with them (the new owner's starts empty; the audit trail keeps the former owner's).
   */
  async endForTransfer(deviceId: string, formerOwner: string, transferredAt: Date): Promise<void> {
    // Audited as of just before the transfer: the former owner's history, not the new owner's (which starts at it).
    const auditAt = new Date(transferredAt.getTime() - 1);
    for (const command of await this.deps.store.commands.listSentByDevice(deviceId)) {
      await this.finish(command.id, 'FAILED', 'the lock changed hands', formerOwner, auditAt);
    }
    await this.deps.store.commands.removeByDevice(deviceId);
  }

  async get(viewer: UserRecord, id: string): Promise<CommandRecord> {
    const command = await this.deps.store.commands.findById(id);
    if (!command || !(await this.visibleTo(viewer, command))) throw new NotFoundError(`Command "${id}"`);
    return command;
  }

  /** Whether the viewer may see this command: anyone who may see its lock, except that a guest sees only their own. */
  async visibleTo(viewer: UserRecord, command: Pick<CommandRecord, 'deviceId' | 'requestedBy'>): Promise<boolean> {
    const lock = await this.deps.store.locks.findByDeviceId(command.deviceId);
    if (!lock) return false;
    if (canSeeLock(viewer, lock)) return true;
    const share = await this.deps.directory.shareOf(viewer.username, lock.deviceId);
    const access = accessOf(viewer, lock, share);
    return access !== null && (!seesOnlyOwnActivity(access) || command.requestedBy === viewer.username);
  }

  /**
   * The lock's commands, newest first. A guest's page holds only their own commands (it may be
   * shorter than asked while others' commands are skipped; the cursor still moves on).
   */
  async history(viewer: UserRecord, deviceId: string, page: PageRequest): Promise<Page<CommandRecord>> {
    const access = await this.deps.locks.access(viewer, deviceId, 'view');
    const found = await this.deps.store.commands.listByDevice(deviceId, page);
    return seesOnlyOwnActivity(access) ? { ...found, items: found.items.filter((c) => c.requestedBy === viewer.username) } : found;
  }

  /** Re-checked right before publishing: a transfer or a revoked share since the first check stops the command. */
  private async stillMayOperate(viewer: UserRecord, lock: LockRecord): Promise<boolean> {
    if (canSeeLock(viewer, lock)) return true;
    const share = await this.deps.store.lockShares.find(lock.deviceId, viewer.username);
    if (!share) return false;
    return share.role === 'CO_OWNER' || shareVerdict(share, lock, new Date(this.now())).allowed;
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    void this.deps.rateLimit.close();
  }

  private claimOf(key: string): IdempotencyClaim {
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw new BadUserInputError('idempotencyKey must be 1–128 characters of A-Z a-z 0-9 . _ : - (a random UUID per request is ideal).', 'idempotencyKey');
    }
    return { key, since: new Date(this.now() - this.deps.idempotencyWindowMs) };
  }

  /** Tells subscribers and the audit log that a newer request replaced this command. */
  private async announceSuperseded(command: CommandRecord, owner: string): Promise<void> {
    clearTimeout(this.timers.get(command.id));
    this.timers.delete(command.id);
    this.deps.events.publish('command.updated', command);
    await this.deps.audit.record(
      { actor: command.requestedBy, action: commandAuditAction(command.action), deviceId: command.deviceId, result: 'SUPERSEDED', detail: `${command.id}: ${command.reason ?? 'superseded'}` },
      owner,
    );
  }

  private armTimeout(id: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(id);
      void this.expireOverdue().catch((error: unknown) => this.deps.log.error({ err: error }, 'command timeout failed'));
    }, this.deps.timeoutMs + 5);
    timer.unref();
    this.timers.set(id, timer);
  }

  private async finish(id: string, state: Exclude<CommandState, 'SENT'>, reason: string | null, owner: string | null, auditAt?: Date): Promise<CommandRecord | null> {
    const done = await this.deps.store.commands.complete(id, state, reason, new Date(this.now()));
    if (!done) return null;
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    // Tell the waiting person first; the audit write follows (it never fails the action).
    this.deps.events.publish('command.updated', done);
    await this.deps.audit.record(
      { actor: done.requestedBy, action: commandAuditAction(done.action), deviceId: done.deviceId, result: state, detail: reason ? `${id}: ${reason}` : id, ...(auditAt ? { at: auditAt } : {}) },
      owner,
    );
    return done;
  }
}

/** The command an earlier copy of this request caused; a key reused for the other action is a client bug. */
function sameRequest(command: CommandRecord, action: CommandAction): CommandRecord {
  if (command.action !== action) {
    throw new BadUserInputError(`This idempotencyKey was already used for a ${command.action} request; use a new key for each request.`, 'idempotencyKey');
  }
  return command;
}
