/**
 * Starts many simulated locks for load tests. Connections open a bounded number at a
 * time: thousands of simultaneous TCP+CONNECT handshakes would mostly measure the
 * broker's accept queue, not the api.
 */
import { FileCounterStore, MemoryCounterStore, type CounterStore } from './counter-store.js';
import { startingCharge } from './hardware-drift.js';
import { SimulatedLock } from './simulated-lock.js';
import type { ProtocolVersion } from '../devices/protocol/versions.js';

export interface DeviceCredentials {
  deviceId: string;
  deviceSecret: string;
}

export interface FleetOptions {
  brokerUrl: string;
  topicPrefix: string;
  devices: DeviceCredentials[];
  /** @default 9000 */
  heartbeatMs?: number;
  /** The protocol versions the locks speak (SimulatedLockOptions.protocol). @default 1 */
  protocol?: ProtocolVersion;
  /** Counter files go here; without it counters live in memory (every run is boot 1). */
  stateDir?: string;
  /** Minutes per percent of battery lost; each lock starts from its own charge. @default 30 */
  batteryDrainMinutes?: number;
  /** How many locks connect at once. @default 50 */
  concurrency?: number;
  /** Called for each lock before it starts, e.g. to listen to its events. */
  onCreate?: (lock: SimulatedLock) => void;
  log?: (line: string) => void;
}

export interface Fleet {
  /** The locks that came online. */
  locks: SimulatedLock[];
  /** Devices whose start failed (bad credentials, broker refused...). */
  failures: { deviceId: string; error: Error }[];
  /** Graceful by default: retained `offline`, then DISCONNECT. */
  stop(options?: { graceful: boolean }): Promise<void>;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const state: CounterStore = options.stateDir ? new FileCounterStore(options.stateDir) : new MemoryCounterStore();
  const locks: SimulatedLock[] = [];
  const failures: Fleet['failures'] = [];
  const queue = [...options.devices];
  const worker = async (): Promise<void> => {
    for (let device = queue.shift(); device; device = queue.shift()) {
      const lock = new SimulatedLock({
        brokerUrl: options.brokerUrl,
        topicPrefix: options.topicPrefix,
        deviceId: device.deviceId,
        deviceSecret: device.deviceSecret,
        heartbeatMs: options.heartbeatMs,
        protocol: options.protocol,
        // Battery-powered, draining slowly, with a wandering signal: something for the diagnostics to show.
        battery: startingCharge(device.deviceId),
        batteryDrainMinutes: options.batteryDrainMinutes ?? 30,
        power: 'BATTERY',
        rssiWalk: true,
        firmware: 'sim-1.4.2',
        state,
        log: options.log,
      });
      options.onCreate?.(lock);
      try {
        await lock.start();
        locks.push(lock);
      } catch (error) {
        failures.push({ deviceId: device.deviceId, error: error as Error });
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 50, queue.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return {
    locks,
    failures,
    async stop(stopOptions = { graceful: true }) {
      await Promise.allSettled(locks.map((lock) => lock.stop(stopOptions)));
    },
  };
}
