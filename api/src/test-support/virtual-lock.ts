/**
 * firmware/build/virtual-lock for end-to-end tests: built with make, run as a child process with a
 * lock's credentials, its stdout (LED lines) kept line by line and its stdin open for the "hands".
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { dynsecUnavailable } from './dynsec-mosquitto.js';
import type { Registered } from './locks.js';
import { MAIN_JS } from './server-process.js';

const FIRMWARE_DIR = path.resolve(__dirname, '../../../firmware');
const LOCK_BIN = path.join(FIRMWARE_DIR, 'build/virtual-lock');
export const BUILD_TIMEOUT_MS = 180_000;
/**
 * The two workers start files that need the binary at the same time (the slowest files go first):
 * one build at a time, or both would compile the same objects into the same files.
 */
const BUILD_LOCK = path.join(tmpdir(), `smartlock-virtual-lock-build-${createHash('sha256').update(FIRMWARE_DIR).digest('hex').slice(0, 16)}.lock`);
/** Broker round trips plus a 200 ms bolt move; generous for a loaded CI machine. */
export const WAIT_MS = 10_000;
/**
 * `extraArgs` for tests that wait, after each (re)connect, for the api to see the lock online: it
 * does on the lock's first status after the welcome, a heartbeat later, and the protocol's 9 s
 * would be waited out each time. The api takes statuses this often as they come.
 */
export const QUICK_HEARTBEAT_ARGS: readonly string[] = ['--heartbeat-ms', '1000'];

/** firmware/build/virtual-lock as a child process, its stdout (LED lines) kept line by line. */
export class VirtualLock {
  readonly lines: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly waiters = new Set<() => void>();
  private exitedWith: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  /**
   * `extraArgs`: e.g. `['--protocol', '1']`, `['--no-door-sensor']`, `['--tls-psk']` with an
   * mqtts:// `brokerUrl` (see tlsPskBrokerUrl; firmware/README.md). `lock` null: the lock runs from
   * what `stateDir` holds, and unclaimed when it holds nothing (docs/protocol.md "Claiming"). `extraEnv`:
   * e.g. `{ SMARTLOCK_FAULT: 'exit-after-rekey-persist' }` (firmware/host/fault_injection.h).
   */
  constructor(brokerUrl: string, prefix: string, lock: Registered | null, stateDir: string, extraArgs: readonly string[] = [], extraEnv: Readonly<Record<string, string>> = {}) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SMARTLOCK_')));
    const device = lock ? ['--device', lock.deviceId] : [];
    // The secret goes by environment only: argv is visible to every user in `ps`.
    this.proc = spawn(LOCK_BIN, ['--broker', brokerUrl, ...device, '--prefix', prefix, '--state-dir', stateDir, '--move-ms', '200', ...extraArgs], {
      env: { ...env, ...extraEnv, ...(lock ? { SMARTLOCK_SECRET: lock.deviceSecret } : {}) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      this.lines.push(line);
      this.wake();
    });
    createInterface({ input: this.proc.stderr }).on('line', (line) => {
      this.stderr.push(line);
      this.wake();
    });
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        this.exitedWith = { code, signal };
        this.wake();
        resolve({ code, signal });
      });
    });
  }

  get alive(): boolean {
    return this.exitedWith === undefined;
  }

  /** Index of the first stdout line at or after `from` that starts with `prefix`; rejects after `timeoutMs`. */
  waitForLine(prefix: string, from = 0, timeoutMs = WAIT_MS): Promise<number> {
    return this.waitFor(this.lines, (line) => line.startsWith(prefix), `"${prefix}"`, from, timeoutMs);
  }

  /** Index of the first stderr line (the lock's log) at or after `from` that matches `pattern`. */
  waitForStderr(pattern: RegExp, from = 0, timeoutMs = WAIT_MS): Promise<number> {
    return this.waitFor(this.stderr, (line) => pattern.test(line), `stderr ${String(pattern)}`, from, timeoutMs);
  }

  private waitFor(lines: readonly string[], matches: (line: string) => boolean, what: string, from: number, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const index = lines.findIndex((line, i) => i >= from && matches(line));
        if (index >= 0) return done(() => resolve(index));
        if (!this.alive) return done(() => reject(new Error(`virtual-lock exited (${JSON.stringify(this.exitedWith)}) before ${what}${this.transcript()}`)));
      };
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no ${what} line within ${timeoutMs} ms${this.transcript()}`))), timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** A line on the lock's stdin, the "hands" of firmware/README.md: `door open`, `turn lock`, … */
  hand(command: string): void {
    this.proc.stdin.write(`${command}\n`);
  }

  /** Freezes (SIGSTOP) or thaws (SIGCONT) the process: it reads nothing while frozen. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    this.proc.kill(signal);
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (!this.alive) return;
    this.proc.kill(signal);
    await this.exited;
  }

  transcript(): string {
    return `\n--- virtual-lock stdout\n${this.lines.join('\n')}\n--- virtual-lock stderr\n${this.stderr.join('\n')}`;
  }

  private wake(): void {
    for (const wake of this.waiters) wake();
  }
}

/** The embedded broker's TLS-PSK listener (docs/protocol.md §12), for a lock started with `--tls-psk`. */
export function tlsPskBrokerUrl(app: { brokerTlsPort?: number | undefined }): string {
  if (app.brokerTlsPort === undefined) throw new Error('the app has no TLS listener (MQTT_TLS_PORT)');
  return `mqtts://127.0.0.1:${app.brokerTlsPort}`;
}

/** Builds the binary; returns a reason to skip when a Debian package is missing outside CI. */
export async function buildVirtualLock(): Promise<string | undefined> {
  const result = await new Promise<{ error: (Error & { code?: unknown }) | null; output: string }>((resolve) => {
    const make = ['make', `-j${availableParallelism()}`, '-C', FIRMWARE_DIR, 'virtual-lock'];
    execFile('flock', [BUILD_LOCK, ...make], { timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ error, output: `${stdout}${stderr}` }),
    );
  });
  if (!result.error) return undefined;
  const missingPackage =
    result.error.code === 'ENOENT' || // no flock (util-linux) at all
    /flock: failed to execute make|missing packages:|g\+\+: (command )?not found|fatal error: [^\n]*: No such file or directory/.test(result.output);
  const message = `make -C firmware virtual-lock failed (${result.error.message.split('\n')[0]}):\n${result.output}`;
  if (!missingPackage || process.env.CI === 'true') throw new Error(message);
  return `virtual-lock cannot be built here (a Debian package is missing; see firmware/README.md):\n${result.output.trim()}`;
}

/**
 * The beforeAll of the end-to-end tests that run the virtual lock: builds it, and checks what else
 * `needs` (the built api that they spawn, Mosquitto with its dynamic-security plugin). Returns why
 * not, to skip with, on a developer's machine; throws under CI=true, where all of it must be there.
 */
export async function virtualLockRigUnavailable(needs: { builtApi?: boolean; dynsec?: boolean } = {}): Promise<string | undefined> {
  const reason = (needs.dynsec ? dynsecUnavailable() : null) ?? (needs.builtApi && !existsSync(MAIN_JS) ? 'run `npm run build:api` first' : null) ?? (await buildVirtualLock());
  if (reason && process.env.CI === 'true') throw new Error(reason);
  return reason;
}
