/**
 * Wires overload handling together: the event-loop monitor, the heartbeat
 * shedder, their metrics, what /readyz shows and what the offline sweep asks.
 * Built before the broker (which sheds as it reads) and told about the
 * ingest once it exists.
 */
import { Counter, Gauge } from 'prom-client';
import type { Topics } from '../devices/protocol/topics.js';
import type { Metrics } from '../observability/metrics.js';
import type { LockRecord } from '../store/records.js';
import { HeartbeatShedder } from './heartbeat-shedder.js';
import { LoadMonitor } from './load-monitor.js';

/** What the offline sweep asks before declaring a lock offline (see offline/offline-sweep.ts). */
export interface SweepLiveness {
  /** Time the api itself was overloaded within the last `windowMs`: added to the offline deadline. */
  graceMs(windowMs: number): number;
  /** Whether the lock's heartbeats reached us (unverified, shed) at or after `since`. */
  seenSince(deviceId: string, since: Date): boolean;
}

/** The ingest as seen from here (StatusIngest). */
export interface IngestView {
  known(deviceId: string): LockRecord | undefined;
  readonly backlog: number;
}

export interface OverloadStatus {
  overloaded: boolean;
  eventLoopLagMs: number;
  shedHeartbeats: number;
  ingestBacklog: number;
}

export interface OverloadControlOptions {
  topics: Topics;
  metrics: Metrics;
  lagThresholdMs: number;
  holdMs?: number;
  now?: () => number;
}

export class OverloadControl {
  readonly monitor: LoadMonitor;
  readonly shedder: HeartbeatShedder;
  private ingest: IngestView | undefined;

  constructor(options: OverloadControlOptions) {
    const { metrics } = options;
    this.monitor = new LoadMonitor({ lagThresholdMs: options.lagThresholdMs, ...(options.holdMs ? { holdMs: options.holdMs } : {}), ...(options.now ? { now: options.now } : {}) });
    const shed = new Counter({
      name: 'smartlock_mqtt_shed_total',
      help: 'Heartbeats that changed nothing, dropped unverified while the api was overloaded',
      registers: [metrics.registry],
    });
    this.shedder = new HeartbeatShedder({
      topics: options.topics,
      known: (deviceId) => this.ingest?.known(deviceId),
      overloaded: () => this.monitor.overloaded(),
      onShed: () => shed.inc(),
      ...(options.now ? { now: options.now } : {}),
    });
    const monitor = this.monitor;
    new Gauge({
      name: 'smartlock_overloaded',
      help: '1 while the api sheds load (event-loop lag above OVERLOAD_LAG_MS), else 0',
      registers: [metrics.registry],
      collect() {
        this.set(monitor.overloaded() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'smartlock_event_loop_lag_max_seconds',
      help: 'Largest event-loop lag sampled since the previous scrape',
      registers: [metrics.registry],
      collect() {
        this.set(monitor.snapshot().maxLagMs / 1000);
      },
    });
    new Gauge({
      name: 'smartlock_overloaded_seconds',
      help: 'Total time the api has been overloaded since it started',
      registers: [metrics.registry],
      collect() {
        this.set(monitor.overloadedMsTotal() / 1000);
      },
    });
    const backlog = () => this.ingest?.backlog ?? 0;
    new Gauge({
      name: 'smartlock_ingest_backlog',
      help: 'Locks with status messages waiting on the ordered ingest path',
      registers: [metrics.registry],
      collect() {
        this.set(backlog());
      },
    });
  }

  attachIngest(ingest: IngestView): void {
    this.ingest = ingest;
  }

  start(): void {
    this.monitor.start();
  }

  stop(): void {
    this.monitor.stop();
  }

  status(): OverloadStatus {
    return {
      overloaded: this.monitor.overloaded(),
      eventLoopLagMs: Math.round(this.monitor.lagMs),
      shedHeartbeats: this.shedder.total,
      ingestBacklog: this.ingest?.backlog ?? 0,
    };
  }

  readonly liveness: SweepLiveness = {
    graceMs: (windowMs) => this.monitor.graceMs(windowMs),
    seenSince: (deviceId, since) => this.shedder.seenSince(deviceId, since),
  };
}
