/**
 * What a start-up knows about the embedded broker: it is new. Every MQTT
 * connection died with the previous process (a crash, `kill -9`, a restart),
 * and aedes keeps no retained messages or sessions across processes, so no
 * lock is reachable until it reconnects. Locks stored AVAILABLE would
 * otherwise stay so until the offline sweep (OFFLINE_AFTER_MS), and commands
 * sent meanwhile would be accepted and go nowhere.
 *
 * Only for the embedded broker, and only before it accepts connections:
 * - Replicas never share an embedded broker (each has its own, and locks reach
 *   one of them), so one replica's start says nothing about locks connected
 *   elsewhere. With an external broker (MQTT_URL) connections outlive the api,
 *   and the retained `offline` wills tell which locks died meanwhile.
 * - Before the broker listens, no lock can have reconnected and sent a status
 *   that this would wrongly overwrite.
 * A lock becomes AVAILABLE again only through a valid signed status (ingest).
 */
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import type { EventBus } from '../events/events.js';
import type { Store } from '../store/ports.js';

export const SERVER_RESTARTED = 'Server restarted';
const BATCH = 500;

export interface RestartAvailabilityDeps {
  store: Store;
  audit: AuditService;
  events: EventBus;
  log: Logger;
  /** Locks marked per store call. @default 500 */
  batchSize?: number;
}

/** Marks every AVAILABLE lock UNAVAILABLE ("Server restarted"), audited; returns how many. */
export async function markLocksUnreachableAfterRestart(deps: RestartAvailabilityDeps): Promise<number> {
  const batchSize = deps.batchSize ?? BATCH;
  let marked = 0;
  for (;;) {
    const batch = await deps.store.locks.markAllUnavailable(SERVER_RESTARTED, batchSize);
    for (const lock of batch) {
      await deps.audit.record({ actor: null, action: 'lock.offline', deviceId: lock.deviceId, result: 'UNAVAILABLE', detail: SERVER_RESTARTED }, lock.owner);
      deps.events.publish('lock.changed', lock);
    }
    marked += batch.length;
    if (batch.length < batchSize) break;
  }
  if (marked > 0) deps.log.info({ marked }, 'embedded broker starts empty: locks are unavailable until they reconnect');
  return marked;
}
