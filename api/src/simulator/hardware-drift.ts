/**
 * The simulated hardware's readings over time, so that dashboards have something real to show:
 * the battery drains one percent per `drainMinutes` from its starting charge, and the Wi-Fi signal
 * wanders as a bounded random walk (a phone moving past, a door closing) instead of a flat line.
 */

/** Typical indoor Wi-Fi at a door: good (-45 dBm) to poor (-85 dBm). */
export const RSSI_RANGE = { min: -85, max: -45 } as const;
/** The largest step of the walk between two readings, in dB. */
const RSSI_STEP = 3;

export interface DriftOptions {
  /** Charge at start, 0…100 %; undefined: the lock reports no battery. */
  battery?: number;
  /** Minutes per percent of charge lost; undefined or 0: the charge stays put. */
  drainMinutes?: number;
  /** Signal at start, dBm. @default -55 */
  rssi?: number;
  /** Let the signal wander within RSSI_RANGE. @default false (a fixed reading) */
  rssiWalk?: boolean;
  /** 0 ≤ x < 1. @default Math.random */
  random?: () => number;
}

export interface Reading {
  battery: number | undefined;
  rssi: number;
}

export class HardwareDrift {
  private rssi: number;
  private readonly random: () => number;

  /** @param startedAtMs when the charge was `battery`; undefined: at the first reading. */
  constructor(
    private readonly options: DriftOptions,
    private startedAtMs?: number,
  ) {
    this.rssi = options.rssi ?? -55;
    this.random = options.random ?? Math.random;
  }

  /** The readings at `nowMs`; each call is one step of the signal's walk. */
  read(nowMs: number): Reading {
    if (this.options.rssiWalk) {
      const step = Math.round((this.random() * 2 - 1) * RSSI_STEP);
      this.rssi = Math.min(RSSI_RANGE.max, Math.max(RSSI_RANGE.min, this.rssi + step));
    }
    return { battery: this.batteryAt(nowMs), rssi: this.rssi };
  }

  private batteryAt(nowMs: number): number | undefined {
    const { battery, drainMinutes } = this.options;
    if (battery === undefined) return undefined;
    if (!drainMinutes) return battery;
    this.startedAtMs ??= nowMs;
    const lost = Math.floor(Math.max(0, nowMs - this.startedAtMs) / (drainMinutes * 60_000));
    return Math.max(0, battery - lost);
  }
}

/** A stable starting charge per lock (55…100 %), so a fleet does not drain in lockstep. */
export function startingCharge(deviceId: string): number {
  let hash = 0;
  for (const char of deviceId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return 55 + (hash % 46);
}
