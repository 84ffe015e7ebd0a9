import type { Logger } from '../app/logger.js';
import type { AuditRecord, NewAudit } from '../store/records.js';
import type { AuditRepository } from '../store/ports.js';

export type AuditListener = (entry: AuditRecord) => void;

/**
 * Appends audit entries. Auditing must never break the action it records, so a
 * failed write is logged loudly rather than thrown at the caller.
 */
export class AuditService {
  private readonly listeners = new Set<AuditListener>();

  constructor(
    private readonly repository: AuditRepository,
    private readonly log: Logger,
  ) {}

  onAppended(listener: AuditListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async record(entry: NewAudit): Promise<AuditRecord | null> {
    try {
      const saved = await this.repository.append(entry);
      for (const listener of this.listeners) listener(saved);
      return saved;
    } catch (error) {
      this.log.error({ err: error, action: entry.action }, 'audit entry could not be written');
      return null;
    }
  }
}
