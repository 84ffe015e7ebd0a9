/**
 * Commands end to end: only the owner or an admin may send one, only to an
 * AVAILABLE lock; the counter comes from the store atomically (safe across
 * replicas); the payload is signed with the lock's secret; an ack in a status
 * completes it, and anything still SENT after the timeout — including across
 * an api restart — ends TIMED_OUT.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import type { LockLink } from '../devices/broker/lock-link.js';
import type { DeviceKeys } from '../devices/device-keys.js';
import { commandJson, type AckMessage } from '../devices/protocol/messages.js';
import { signPayload } from '../devices/protocol/signature.js';
import type { Topics } from '../devices/protocol/topics.js';
import { LockOfflineError, NotFoundError } from '../errors/graphql-errors.js';
import type { EventBus } from '../events/events.js';
import { canSeeLock } from '../locks/lock-access.js';
import type { LocksService } from '../locks/locks.service.js';
import type { Store } from '../store/ports.js';
import type { CommandAction, CommandRecord, CommandState, Page, PageRequest, UserRecord } from '../store/records.js';

export interface CommandsServiceDeps {
  store: Store;
  locks: LocksService;
  keys: DeviceKeys;
  audit: AuditService;
  events: EventBus;
  link: LockLink;
  topics: Topics;
  timeoutMs: number;
  log: Logger;
  now?: () => number;
}

const ACK_STATE: Record<AckMessage['result'], Exclude<CommandState, 'SENT'>> = { ok: 'SUCCEEDED', rejected: 'REJECTED', failed: 'FAILED' };

export class CommandsService {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly now: () => number;

  constructor(private readonly deps: CommandsServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async send(viewer: UserRecord, deviceId: string, action: CommandAction): Promise<CommandRecord> {
    const { store, audit, keys, topics, link } = this.deps;
    const lock = await this.deps.locks.get(viewer, deviceId);
    if (lock.state !== 'AVAILABLE') {
      await audit.record({ actor: viewer.username, action: `command.${action.toLowerCase()}`, deviceId, result: 'LOCK_OFFLINE', detail: null }, lock.owner);
      throw new LockOfflineError(deviceId);
    }
    const counter = await store.locks.allocateCounter(deviceId);
    if (counter === null) throw new NotFoundError(`Lock "${deviceId}"`);
    const id = randomUUID();
    const command = await store.commands.create({ id, deviceId, action, counter, requestedBy: viewer.username });
    const unsigned = commandJson({ v: 1, type: 'cmd', dev: deviceId, id, action, ctr: counter, ts: Math.floor(this.now() / 1000) });
    this.armTimeout(id);
    try {
      await link.publish(topics.of(deviceId, 'cmd'), signPayload(keys.open(deviceId, lock.secretSealed), unsigned), { qos: 1 });
    } catch (error) {
      this.deps.log.warn({ err: error, deviceId, commandId: id }, 'command could not be published');
      return (await this.finish(id, 'FAILED', 'broker unavailable', lock.owner)) ?? command;
    }
    this.deps.events.publish('command.updated', command);
    await audit.record({ actor: viewer.username, action: `command.${action.toLowerCase()}`, deviceId, result: 'SENT', detail: id }, lock.owner);
    return command;
  }

  /** Completes the command an ack names, if it belongs to this lock and is still SENT. */
  async completeFromAck(deviceId: string, owner: string, ack: AckMessage): Promise<CommandRecord | null> {
    const command = await this.deps.store.commands.findById(ack.id);
    if (!command || command.deviceId !== deviceId) return null; // never let one lock complete another's command
    return this.finish(ack.id, ACK_STATE[ack.result], ack.reason ?? null, owner);
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

  async get(viewer: UserRecord, id: string): Promise<CommandRecord> {
    const command = await this.deps.store.commands.findById(id);
    const lock = command ? await this.deps.store.locks.findByDeviceId(command.deviceId) : null;
    if (!command || !lock || !canSeeLock(viewer, lock)) throw new NotFoundError(`Command "${id}"`);
    return command;
  }

  async history(viewer: UserRecord, deviceId: string, page: PageRequest): Promise<Page<CommandRecord>> {
    await this.deps.locks.get(viewer, deviceId);
    return this.deps.store.commands.listByDevice(deviceId, page);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private armTimeout(id: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(id);
      void this.expireOverdue().catch((error: unknown) => this.deps.log.error({ err: error }, 'command timeout failed'));
    }, this.deps.timeoutMs + 5);
    timer.unref();
    this.timers.set(id, timer);
  }

  private async finish(id: string, state: Exclude<CommandState, 'SENT'>, reason: string | null, owner: string | null): Promise<CommandRecord | null> {
    const done = await this.deps.store.commands.complete(id, state, reason, new Date(this.now()));
    if (!done) return null;
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    // Tell the waiting person first; the audit write follows (it never fails the action).
    this.deps.events.publish('command.updated', done);
    await this.deps.audit.record(
      { actor: done.requestedBy, action: `command.${done.action.toLowerCase()}`, deviceId: done.deviceId, result: state, detail: reason ? `${id}: ${reason}` : id },
      owner,
    );
    return done;
  }
}
