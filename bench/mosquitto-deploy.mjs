// The compose broker for benchmarks: Mosquitto 2 run by deploy/mosquitto/start-mosquitto.sh with
// deploy/mosquitto/mosquitto.conf itself. Only what cannot work outside the container is rewritten
// (listener ports onto 127.0.0.1, the plugin's path, the data folder, the certificate folder),
// the way api/src/test-support/dynsec-mosquitto.ts does for the tests (that file is not compiled
// into api/dist, so the same swaps are repeated here). A throwaway self-signed certificate is
// mounted so that the script keeps the TLS listener, as in a deployment with its certificate.
// `withoutDirectives` removes whole directives (e.g. set_tcp_nodelay) to measure a baseline.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './lib.mjs';

const DEPLOY = fileURLToPath(new URL('../deploy/mosquitto/', import.meta.url));
const BROKER = '/usr/sbin/mosquitto';
const PLUGIN_PATHS = ['/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so', '/usr/lib/mosquitto_dynamic_security.so', '/usr/local/lib/mosquitto_dynamic_security.so'];


/** The shipped config with its ports and paths made local; throws if a line it rewrites is gone. */
export function localDeployConfig({ port, tlsPort, plugin, dynsecFile, dir, certDir, withoutDirectives = [] }) {
  let conf = readFileSync(join(DEPLOY, 'mosquitto.conf'), 'utf8');
  const swaps = [
    [/^listener 1883$/m, `listener ${port} 127.0.0.1`],
    [/^listener 8883$/m, `listener ${tlsPort} 127.0.0.1`],
    [/^plugin \S+$/m, `plugin ${plugin}`],
    [/^plugin_opt_config_file \S+$/m, `plugin_opt_config_file ${dynsecFile}`],
    [/^persistence_location \S+$/m, `persistence_location ${dir}/`],
    [/\/mosquitto\/certs\//g, `${certDir}/`],
    ...withoutDirectives.map((name) => [new RegExp(`^${name}( .*)?\\n`, 'm'), '']),
  ];
  for (const [pattern, replacement] of swaps) {
    if (!pattern.test(conf)) throw new Error(`deploy/mosquitto/mosquitto.conf has no ${pattern}`);
    conf = conf.replace(pattern, replacement);
  }
  return conf;
}

/** Readable by the broker, which drops root for the `mosquitto` user (as the tests' certificates are). */
function selfSignedCertificate(certDir) {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'privkey.pem', '-out', 'fullchain.pem', '-days', '2', '-subj', '/CN=127.0.0.1'], { cwd: certDir, stdio: 'ignore' });
  chmodSync(certDir, 0o755);
  for (const file of ['privkey.pem', 'fullchain.pem']) chmodSync(join(certDir, file), 0o644);
}

/** Started as root, Mosquitto runs as `mosquitto`, which must rewrite the plugin's file in the temp dir. */
function brokerMayWrite(dir) {
  if (process.getuid?.() !== 0) return;
  try {
    const id = (flag) => Number(execFileSync('id', [flag, 'mosquitto'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  } catch {
    // No mosquitto user: the broker stays root and can use the dir as it is.
  }
}

/**
 * Starts the compose broker on free ports; resolves when start-mosquitto.sh says it is ready.
 * Returns the api's environment for it (its account, dynsec administration, the topic prefix).
 */
export async function startDeployMosquitto({ topicPrefix, withoutDirectives = [] }) {
  const plugin = PLUGIN_PATHS.find((path) => existsSync(path));
  if (!existsSync(BROKER) || !plugin) throw new Error(`Mosquitto 2 with the dynamic-security plugin is needed (${BROKER}, mosquitto_dynamic_security.so)`);
  const dir = mkdtempSync(join(os.tmpdir(), 'smartlock-bench-mosquitto-'));
  const certDir = join(dir, 'certs');
  mkdirSync(certDir);
  selfSignedCertificate(certDir);
  brokerMayWrite(dir);
  const [port, tlsPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'mosquitto.conf');
  const dynsecFile = join(dir, 'dynamic-security.json');
  const text = localDeployConfig({ port, tlsPort, plugin, dynsecFile, dir, certDir, withoutDirectives });
  writeFileSync(conf, text);
  const api = { username: 'smartlock-api', password: randomBytes(16).toString('hex') };
  const child = spawn('sh', [join(DEPLOY, 'start-mosquitto.sh')], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      MQTT_ADMIN_PASSWORD: randomBytes(16).toString('hex'),
      MQTT_PASSWORD: api.password,
      MQTT_USERNAME: api.username,
      MQTT_TOPIC_PREFIX: topicPrefix,
      MOSQUITTO_CONF: conf,
      DYNSEC_FILE: dynsecFile,
      MQTT_LISTEN_PORT: String(port),
      MOSQUITTO_BIN: BROKER,
      TMPDIR: dir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start-mosquitto.sh not ready in 30 s: ${output}`)), 30_000);
    const read = (chunk) => {
      output += chunk.toString();
      if (output.includes('start-mosquitto: ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`start-mosquitto.sh exited with ${code}: ${output}`)));
  });
  const url = `mqtt://127.0.0.1:${port}`;
  return {
    url,
    config: text,
    tlsOn: output.includes('TLS listener on'),
    apiEnv: { MQTT_URL: url, MQTT_USERNAME: api.username, MQTT_PASSWORD: api.password, MQTT_BROKER_ADMIN: 'dynsec', MQTT_TOPIC_PREFIX: topicPrefix },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
