/**
 * A throwaway redis-server child process on a free port, for tests that take Redis away: the
 * shared Redis other tests use must never be stopped. Nothing is persisted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';

export interface PrivateRedis {
  url: string;
  /** Stops the server (an outage); resolves once the process has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: pub/sub keeps nothing anyway). */
  start(): Promise<void>;
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start on ${port}: ${output}`));
    }, 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${output}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = await launch(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (!child) return;
      const stopping = child;
      child = null;
      const done = exited(stopping);
      stopping.kill('SIGTERM');
      await done;
    },
    async start() {
      if (child) return;
      child = await launch(port);
    },
  };
}
