/**
 * A private Mosquitto 2 with the dynamic-security plugin, on a free port in a temp dir, started by
 * the same script as docker-compose (deploy/mosquitto/start-mosquitto.sh): an `admin` account for
 * the test and the api's account with only the api's rights. Never the shared broker on 1883.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'vitest';

const PLUGIN_PATHS = ['/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so', '/usr/lib/mosquitto_dynamic_security.so', '/usr/local/lib/mosquitto_dynamic_security.so'];
const BROKER = '/usr/sbin/mosquitto';
const SCRIPT = resolve(__dirname, '../../../deploy/mosquitto/start-mosquitto.sh');

export interface DynsecMosquitto {
  url: string;
  admin: { username: string; password: string };
  api: { username: string; password: string };
  /** Environment for startTestApp: this broker, the api's account, dynsec management, the prefix. */
  apiEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** Why this machine cannot run one, or null. */
export function dynsecUnavailable(): string | null {
  if (!existsSync(BROKER)) return `${BROKER} is not installed`;
  if (!PLUGIN_PATHS.some((path) => existsSync(path))) return 'mosquitto_dynamic_security.so is not installed';
  return null;
}

/** Skips outside CI with the reason; fails in CI, where Mosquitto must be installed. */
export function requireDynsecMosquitto(ctx: TestContext): void {
  const reason = dynsecUnavailable();
  if (reason === null) return;
  if (process.env.CI === 'true') throw new Error(`${reason} (required on CI)`);
  ctx.skip(reason);
}

/**
 * Started as root, Mosquitto drops to the `mosquitto` user, which must read and rewrite the
 * plugin's file (it saves by writing a new file and renaming it) in this 0700 temp dir.
 */
function brokerMayWrite(dir: string): void {
  if (process.getuid?.() !== 0) return;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'mosquitto'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  } catch {
    // No mosquitto user: the broker keeps running as root and can use the dir as it is.
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startDynsecMosquitto(topicPrefix: string): Promise<DynsecMosquitto> {
  const plugin = PLUGIN_PATHS.find((path) => existsSync(path));
  if (!plugin) throw new Error('mosquitto_dynamic_security.so is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'smartlock-dynsec-'));
  brokerMayWrite(dir);
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  const dynsecFile = join(dir, 'dynamic-security.json');
  writeFileSync(
    conf,
    [`listener ${port} 127.0.0.1`, 'allow_anonymous false', `plugin ${plugin}`, `plugin_opt_config_file ${dynsecFile}`, 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice', ''].join('\n'),
  );
  const admin = { username: 'admin', password: randomBytes(16).toString('hex') };
  const api = { username: 'smartlock-api', password: randomBytes(16).toString('hex') };
  const child = spawn('sh', [SCRIPT], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      MQTT_ADMIN_PASSWORD: admin.password,
      MQTT_PASSWORD: api.password,
      MQTT_USERNAME: api.username,
      MQTT_TOPIC_PREFIX: topicPrefix,
      MOSQUITTO_CONF: conf,
      DYNSEC_FILE: dynsecFile,
      MQTT_LISTEN_PORT: String(port),
      MOSQUITTO_BIN: BROKER,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await ready(child);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = `mqtt://127.0.0.1:${port}`;
  return {
    url,
    admin,
    api,
    apiEnv: { MQTT_URL: url, MQTT_USERNAME: api.username, MQTT_PASSWORD: api.password, MQTT_BROKER_ADMIN: 'dynsec', MQTT_TOPIC_PREFIX: topicPrefix },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when the script says the accounts are in place; rejects with its output if it exits first. */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolveReady, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`start-mosquitto.sh was not ready within 15 s: ${output}`));
    }, 15_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('start-mosquitto: ready')) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`start-mosquitto.sh exited with ${code}: ${output}`));
    });
  });
}
