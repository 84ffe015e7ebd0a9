/**
 * Records the diagnostics history: accepted statuses (told by the ingest) and locks going
 * Unavailable (any cause: will, sweep, clock, restart; heard as `lock.changed`). Points that
 * sampling keeps are buffered and written in one batch per flush, off the heartbeat path.
 *
 * With replicas each one samples what it sees, so a lock may get a point per replica per interval
 * and one offline point per replica: bounded, and harmless to a chart.
 */
import type { Logger } from '../app/logger.js';
import type { EventBus } from '../events/events.js';
import { followEvents } from '../events/follow-events.js';
import type { Store } from '../store/ports.js';
import type { DiagnosticsPoint } from '../store/records.js';
import { type LastKept, lastKept, offlinePoint, onlinePoint, worthKeeping, type StatusReading } from './sampling.js';

export interface DiagnosticsRecorderDeps {
  store: Store;
  events: EventBus;
  log: Logger;
  /** DIAGNOSTICS_SAMPLE_INTERVAL */
  sampleEveryMs: number;
  flushMs: number;
  now?: () => number;
}

export class DiagnosticsRecorder {
  /** The last point kept per lock, so that sampling reads no database. */
  private readonly last = new Map<string, LastKept>();
  private buffer: DiagnosticsPoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private stopFollowing: (() => Promise<void>)[] = [];
  private readonly now: () => number;

  constructor(private readonly deps: DiagnosticsRecorderDeps) {
    this.now = deps.now ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.deps.flushMs);
    this.timer.unref();
    const { events, log } = this.deps;
    this.stopFollowing = [
      followEvents(events, ['lock.changed'], (lock) => {
        // A lock never seen (just registered) has no history to mark.
        if (lock.state !== 'AVAILABLE' && lock.lastSeen !== null) this.observe(offlinePoint(lock.deviceId, new Date(this.now())));
      }, log),
      followEvents(events, ['lock.removed'], ({ deviceId }) => void this.last.delete(deviceId), log),
    ];
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.stopFollowing.map((stop) => stop()));
    await this.flush();
  }

  /** A valid status was accepted from the lock at `at`. */
  statusAccepted(deviceId: string, status: StatusReading, at: Date): void {
    this.observe(onlinePoint(deviceId, status, at));
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.buffer.length === 0) return;
      const batch = this.buffer;
      this.buffer = [];
      try {
        await this.deps.store.diagnostics.append(batch);
      } catch (error) {
        // History is not worth retrying at the cost of memory: the next sample fills the gap.
        this.deps.log.warn({ err: error, count: batch.length }, 'diagnostics batch write failed');
      }
    });
    return this.flushing;
  }

  private observe(point: DiagnosticsPoint): void {
    if (!worthKeeping(this.last.get(point.deviceId), point, this.deps.sampleEveryMs)) return;
    this.last.set(point.deviceId, lastKept(point));
    this.buffer.push(point);
  }
}
