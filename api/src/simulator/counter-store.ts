/**
 * What a simulated lock keeps across restarts, like the firmware's NVS: the boot
 * counter and the last accepted command counter. Synchronous on purpose: the
 * counter must be durable before the bolt "moves", with no await in between.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DEVICE_ID_PATTERN } from '../devices/protocol/limits.js';

export interface PersistedCounters {
  /** Boots counted so far (0 before the first start). */
  boot: number;
  /** Last accepted command counter (0 if none). */
  ctr: number;
}

export interface CounterStore {
  load(deviceId: string): PersistedCounters;
  /** Throws if the value could not be made durable; the lock then refuses to move. */
  save(deviceId: string, value: PersistedCounters): void;
}

const EMPTY: PersistedCounters = { boot: 0, ctr: 0 };

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Keeps counters in memory only: a "restart" within one process still sees them. */
export class MemoryCounterStore implements CounterStore {
  private readonly values = new Map<string, PersistedCounters>();

  load(deviceId: string): PersistedCounters {
    return { ...(this.values.get(deviceId) ?? EMPTY) };
  }

  save(deviceId: string, value: PersistedCounters): void {
    this.values.set(deviceId, { ...value });
  }
}

/** One JSON file per device under `dir`, replaced atomically (write, fsync, rename, fsync dir). */
export class FileCounterStore implements CounterStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private fileOf(deviceId: string): string {
    // The id becomes a file name: the protocol's pattern keeps it free of `/` and `..`.
    if (!DEVICE_ID_PATTERN.test(deviceId)) throw new Error(`invalid device id: ${deviceId}`);
    return join(this.dir, `${deviceId}.json`);
  }

  load(deviceId: string): PersistedCounters {
    let text: string;
    try {
      text = readFileSync(this.fileOf(deviceId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...EMPTY };
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<Record<keyof PersistedCounters, unknown>>;
    // A corrupt file must not silently reset ctr to 0: that would re-open every old command.
    if (!isCount(parsed.boot) || !isCount(parsed.ctr)) throw new Error(`corrupt counter file for ${deviceId}`);
    return { boot: parsed.boot, ctr: parsed.ctr };
  }

  save(deviceId: string, value: PersistedCounters): void {
    const target = this.fileOf(deviceId);
    const temp = `${target}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify({ boot: value.boot, ctr: value.ctr }));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    syncDirectory(this.dir);
  }
}

/** Makes the rename itself durable; some platforms cannot open a directory, which is harmless there. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort (e.g. Windows)
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
