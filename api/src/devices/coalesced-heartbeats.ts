/**
 * Heartbeats of known locks wait here, one per lock (the newest), and are written together on a
 * timer. A flush writes them in chunks of HEARTBEAT_CHUNK rows, one transaction each, and lets the
 * event loop run between chunks: SQLite writes synchronously, and a fleet's whole batch in one go
 * held every command and subscription behind it (200 locks: ~5 ms at best, 25 ms before a batch
 * stopped reading each row back; 10,000 locks would be a quarter of a second each time).
 * A heartbeat written after a newer status of its lock changes nothing: the store keeps a status
 * only if its (boot, seq) is newer than the stored one.
 */
import type { Logger } from '../app/logger.js';
import type { Store } from '../store/ports.js';
import type { StatusUpdate } from '../store/records.js';

/** Rows per transaction: a few milliseconds of SQLite work on a small machine. */
export const HEARTBEAT_CHUNK = 50;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface CoalescedHeartbeatsDeps {
  store: Pick<Store, 'locks'>;
  log: Logger;
  /** A chunk that failed was not stored: its locks' cached rows are no longer what the store holds. */
  onChunkFailed: (deviceIds: string[]) => void;
}

export class CoalescedHeartbeats {
  private pending = new Map<string, StatusUpdate>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: CoalescedHeartbeatsDeps) {}

  /** Replaces any heartbeat of this lock still waiting. */
  set(update: StatusUpdate): void {
    this.pending.set(update.deviceId, update);
  }

  /** A newer status of this lock is written on its own: its waiting heartbeat is not needed. */
  delete(deviceId: string): void {
    this.pending.delete(deviceId);
  }

  /** Writes everything waiting, after any flush already under way. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = [...this.pending.values()];
      this.pending = new Map();
      for (let start = 0; start < batch.length; start += HEARTBEAT_CHUNK) {
        if (start > 0) await nextTurn();
        await this.write(batch.slice(start, start + HEARTBEAT_CHUNK));
      }
    });
    return this.flushing;
  }

  private async write(chunk: StatusUpdate[]): Promise<void> {
    try {
      await this.deps.store.locks.applyStatuses(chunk);
    } catch (error) {
      this.deps.log.error({ err: error, count: chunk.length }, 'heartbeat batch write failed');
      // Queued again unless a newer heartbeat took its place, so lastSeen is not left stale.
      this.deps.onChunkFailed(chunk.map((update) => update.deviceId));
      for (const update of chunk) if (!this.pending.has(update.deviceId)) this.pending.set(update.deviceId, update);
    }
  }
}
