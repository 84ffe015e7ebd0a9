/**
 * A second, plain Mosquitto for tests that need "someone else's broker" (Home Assistant's): a
 * password file with one account, on a free port in a temp dir, no persistence, so a restart
 * loses every retained message as a broker without a store does. Never the shared broker on 1883.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

const BROKER = '/usr/sbin/mosquitto';
const PASSWD = '/usr/bin/mosquitto_passwd';

export interface PlainMosquitto {
  url: string;
  username: string;
  password: string;
  /** Stops the broker and starts it again on the same port (retained messages are gone). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Why these tests cannot run here (they skip, saying so), or null; in CI a missing Mosquitto fails. */
export function plainMosquittoUnavailable(): string | null {
  const reason = !existsSync(BROKER) ? `${BROKER} is not installed` : !existsSync(PASSWD) ? `${PASSWD} is not installed` : null;
  if (reason !== null && process.env.CI === 'true') throw new Error(`${reason} (required on CI)`);
  if (reason !== null) process.stderr.write(`skipping the Home Assistant bridge tests: ${reason}\n`);
  return reason;
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startPlainMosquitto(): Promise<PlainMosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'smartlock-ha-broker-'));
  const port = await freePort();
  const username = 'homeassistant';
  const password = randomBytes(12).toString('hex');
  const passwordFile = join(dir, 'passwords');
  execFileSync(PASSWD, ['-c', '-b', passwordFile, username, password]);
  const conf = join(dir, 'mosquitto.conf');
  // `user root` when run as root: the dropped-to user could not read this 0700 dir.
  const runAs = process.getuid?.() === 0 ? ['user root'] : [];
  writeFileSync(conf, [...runAs, `listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${passwordFile}`, 'persistence false', 'log_dest stderr', 'log_type error', ''].join('\n'));

  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const started = spawn(BROKER, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    let output = '';
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (let i = 0; i < 100; i += 1) {
      if (started.exitCode !== null) throw new Error(`mosquitto exited: ${output}`);
      if (await accepting(port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`mosquitto did not listen on ${port}: ${output}`);
  };
  const halt = async (): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    username,
    password,
    async restart() {
      await halt();
      await launch();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
