/**
 * The built api (`npm run build:api`) as a real child process, for tests about
 * what only a process has: signals, exit codes, crashes and restarts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { apiRoot } from '../app/paths.js';

export const MAIN_JS = join(apiRoot(), 'dist', 'src', 'main.js');
export const DEMO_JS = join(apiRoot(), 'dist', 'src', 'cli', 'demo.js');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** When the process ended (Date.now()). */
  at: number;
}

/** One pino JSON line (other output is kept as `{ msg: line }`). */
export interface LogLine {
  msg?: string;
  level?: number;
  [field: string]: unknown;
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  readonly exited: Promise<Exit>;
  /** Resolves with the first line (already printed or future) that matches. */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves when the process exits; rejects (leaving it running) if it has not within `timeoutMs`. */
  exitWithin(timeoutMs: number): Promise<Exit>;
  /** Ends the process at once if it still runs (test cleanup). */
  kill(): Promise<Exit>;
}

export interface RunningServer extends ServerProcess {
  /** http://host:port */
  url: string;
  /** http://host:port/graphql */
  httpUrl: string;
  brokerUrl: string;
}

export function spawnProcess(script: string, env: Record<string, string>): ServerProcess {
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build:api first`);
  // PATH etc. from the test's environment; NODE_ENV is not inherited on purpose
  // (vitest sets it to "test", which hides behaviour that production has).
  const { NODE_ENV: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [script], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  const take = (text: string) => {
    lines.push(parseLine(text));
    for (const wake of waiters) wake();
  };
  if (child.stdout) createInterface({ input: child.stdout }).on('line', take);
  if (child.stderr) createInterface({ input: child.stderr }).on('line', take);
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal, at: Date.now() });
      for (const wake of waiters) wake();
    });
  });
  let done: Exit | undefined;
  void exited.then((exit) => (done = exit));

  return {
    child,
    lines,
    exited,
    waitForLine(match, timeoutMs = 15_000) {
      return new Promise<LogLine>((resolve, reject) => {
        const check = () => {
          const found = lines.find(match);
          if (found) finish(() => resolve(found));
          else if (done) finish(() => reject(new Error(`process exited (${JSON.stringify(done)}) before the expected line; output:\n${dump(lines)}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`expected line not printed within ${timeoutMs} ms; output:\n${dump(lines)}`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    exitWithin(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`process still running ${timeoutMs} ms later; output:\n${dump(lines)}`)), timeoutMs);
      });
      return Promise.race([exited, late]).finally(() => clearTimeout(timer));
    },
    async kill() {
      if (!done) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Spawns `node api/dist/src/main.js` and resolves once it listens (LOG_LEVEL must be info or lower). */
export async function spawnServer(env: Record<string, string>): Promise<RunningServer> {
  const proc = spawnProcess(MAIN_JS, { LOG_LEVEL: 'info', ...env });
  try {
    const listening = await proc.waitForLine((line) => typeof line.msg === 'string' && line.msg.startsWith('Smartlock api listening'));
    const url = String(listening.url).replace('localhost', '127.0.0.1');
    return Object.assign(proc, { url, httpUrl: `${url}/graphql`, brokerUrl: String(listening.broker) });
  } catch (error) {
    await proc.kill();
    throw error;
  }
}

function parseLine(text: string): LogLine {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') return parsed as LogLine;
  } catch {
    // not JSON: plain output (the demo's banner, a crash's stack)
  }
  return { msg: text };
}

function dump(lines: LogLine[]): string {
  return lines.map((line) => JSON.stringify(line)).join('\n').slice(-4000);
}
