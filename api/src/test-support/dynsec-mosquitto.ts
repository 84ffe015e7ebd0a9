/**
 * A private Mosquitto 2 with the dynamic-security plugin, on a free port in a temp dir, started by
 * the same script as docker-compose (deploy/mosquitto/start-mosquitto.sh): an `admin` account for
 * the test and the api's account with only the api's rights. Never the shared broker on 1883.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'vitest';
import { freePort } from './free-port.js';

const PLUGIN_PATHS = ['/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so', '/usr/lib/mosquitto_dynamic_security.so', '/usr/local/lib/mosquitto_dynamic_security.so'];
const BROKER = '/usr/sbin/mosquitto';
const SCRIPT = resolve(__dirname, '../../../deploy/mosquitto/start-mosquitto.sh');
const DEPLOY_CONF = resolve(__dirname, '../../../deploy/mosquitto/mosquitto.conf');

export interface DynsecMosquittoOptions {
  /**
   * Run the shipped deploy/mosquitto/mosquitto.conf rather than a minimal config: its listeners
   * (1883, and 8883 with TLS) move to free ports on 127.0.0.1, its data paths to the temp dir, and
   * its certificate folder /mosquitto/certs becomes `certDir` (which the broker must be able to read).
   */
  deployConfig?: { certDir: string };
}

export interface DynsecMosquitto {
  url: string;
  admin: { username: string; password: string };
  api: { username: string; password: string };
  /** Environment for startTestApp: this broker, the api's account, dynsec management, the prefix. */
  apiEnv: Record<string, string>;
  /** With `deployConfig`: the port of its TLS listener (whether or not the script turned it on). */
  tlsPort?: number;
  /** What the script and the broker printed so far. */
  output(): string;
  /** Sends a signal to the script, as `docker compose kill -s <signal>` does to the container. */
  signal(name: NodeJS.Signals): void;
  /** The script's process id (what `docker compose kill` signals: the container's first process). */
  pid: number;
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

/** The deploy config with its ports and paths made local; throws if a line it rewrites is gone. */
function localDeployConfig(values: { port: number; tlsPort: number; plugin: string; dynsecFile: string; dir: string; certDir: string }): string {
  let conf = readFileSync(DEPLOY_CONF, 'utf8');
  const swaps: Array<[RegExp, string]> = [
    [/^listener 1883$/m, `listener ${values.port} 127.0.0.1`],
    [/^listener 8883$/m, `listener ${values.tlsPort} 127.0.0.1`],
    [/^plugin \S+$/m, `plugin ${values.plugin}`],
    [/^plugin_opt_config_file \S+$/m, `plugin_opt_config_file ${values.dynsecFile}`],
    [/^persistence_location \S+$/m, `persistence_location ${values.dir}/`],
    [/\/mosquitto\/certs\//g, `${values.certDir}/`],
  ];
  for (const [pattern, replacement] of swaps) {
    if (!pattern.test(conf)) throw new Error(`deploy/mosquitto/mosquitto.conf has no ${pattern}`);
    conf = conf.replace(pattern, replacement);
  }
  return conf;
}

export async function startDynsecMosquitto(topicPrefix: string, options: DynsecMosquittoOptions = {}): Promise<DynsecMosquitto> {
  const plugin = PLUGIN_PATHS.find((path) => existsSync(path));
  if (!plugin) throw new Error('mosquitto_dynamic_security.so is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'smartlock-dynsec-'));
  brokerMayWrite(dir);
  const port = await freePort();
  const tlsPort = options.deployConfig ? await freePort() : undefined;
  const conf = join(dir, 'mosquitto.conf');
  const dynsecFile = join(dir, 'dynamic-security.json');
  writeFileSync(
    conf,
    options.deployConfig && tlsPort !== undefined
      ? localDeployConfig({ port, tlsPort, plugin, dynsecFile, dir, certDir: options.deployConfig.certDir })
      : [`listener ${port} 127.0.0.1`, 'allow_anonymous false', `plugin ${plugin}`, `plugin_opt_config_file ${dynsecFile}`, 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice', ''].join('\n'),
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
      // Where the script writes the config it runs when the TLS listener is left out.
      TMPDIR: dir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
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
    ...(tlsPort === undefined ? {} : { tlsPort }),
    output: () => output,
    pid: child.pid ?? 0,
    signal(name) {
      child.kill(name);
    },
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
