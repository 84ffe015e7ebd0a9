import type { Logger } from '../app/logger.js';
import type { EventBus } from '../events/events.js';
import type { AuditRecord, LockRecord, NewAudit } from '../store/records.js';
import type { AuditRepository } from '../store/ports.js';
import type { AuditAction } from './audit-actions.js';

/**
 * Appends audit entries and announces them on the live feed. Auditing must
 * never break the action it records, so a failed write is logged loudly
 * rather than thrown at the caller.
 */
/** Hears each entry this process wrote (once, on the replica that wrote it): push notifications follow the trail. */
export type AuditListener = (entry: AuditRecord, owner: string | null, lock?: LockRecord) => void;

export class AuditService {
  private events: EventBus | undefined;
  private readonly listeners: AuditListener[] = [];

  constructor(
    private readonly repository: AuditRepository,
    private readonly log: Logger,
  ) {}

  /** Set once the event bus exists (it is created after the store). */
  attachEvents(events: EventBus): void {
    this.events = events;
  }

  /** `listener` must not block or throw: it runs inside the recording caller's request. */
  onRecorded(listener: AuditListener): void {
    this.listeners.push(listener);
  }

  /**
   * `owner`: the owner of the entry's lock, so the live feed can reach them without a lookup.
   * `lock`: the lock as this entry left it, for listeners that must not read a later state.
   */
  async record(entry: NewAudit & { action: AuditAction }, owner: string | null = null, lock?: LockRecord): Promise<AuditRecord | null> {
    try {
      const saved = await this.repository.append(entry);
      this.events?.publish('audit.appended', { entry: saved, owner });
      for (const listener of this.listeners) listener(saved, owner, lock);
      return saved;
    } catch (error) {
      this.log.error({ err: error, action: entry.action }, 'audit entry could not be written');
      return null;
    }
  }
}
