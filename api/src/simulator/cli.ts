/**
 * `npm run simulate -- --api http://localhost:4000 --devices N`: registers N simulated locks
 * with the api (or reads `--credentials`), runs them against the broker and reports every 10 s.
 * Secrets go to files with mode 0600, never to the terminal.
 */
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startFleet, type DeviceCredentials } from './fleet.js';
import { loadCredentials, loadOrCreateAccount, registerLocks, saveCredentials, signInOrUp } from './registration.js';
import { type CommandEvent, type SimulatedLock } from './simulated-lock.js';
import { startUnclaimedFleet } from './unclaimed-fleet.js';
import { isProtocolVersion, type ProtocolVersion } from '../devices/protocol/versions.js';

const USAGE = `Usage: simulate [--api <url>] [--devices N] [options]
       simulate --unclaimed N [--api <url>] [--broker <mqtt url>] [--prefix p] [--state-dir dir]
  --unclaimed <N>        N locks fresh from the factory: each prints its claim code (text and QR
                         code) and waits to be claimed (the app's "Add a lock", or claimLock), then
                         runs as the lock it was claimed as (docs/protocol.md §15). No account
                         needed; with --api the QR code holds the link <api>/claim#<code>
  --api <url>            GraphQL api base (the endpoint is <url>/graphql)
  --devices <N>          locks sim-1 … sim-N to register and run (default 1)
  --username, --password account owning the locks (or SMARTLOCK_USERNAME / SMARTLOCK_PASSWORD;
                         default: sim-<hostname> with a generated password kept in the state dir)
  --broker <mqtt url>    default mqtt://<api host>:1883
  --prefix <topic>       default smartlock
  --heartbeat-ms <ms>    default 9000
  --battery-drain-minutes <N>  each lock loses 1 % of battery per N minutes (default 30)
  --state-dir <dir>      default ./data/simulator
  --credentials <file>   JSON [{deviceId, deviceSecret}]: skip registration
  --protocol <1|2|3>     highest protocol the locks speak (default 3: the v2 broker password, hello
                         announcing 1,2,3, then the welcome's version; docs/protocol.md §11, §13).
                         2 is a v2-only lock. Use 1 against an api older than
                         v2 or Mosquitto with dynamic security, whose accounts hold the v1 password
  --verbose              per-lock log lines on stderr
`;

/** A mistake in the command line, answered with the usage text. */
class UsageError extends Error {}

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const err = (line: string): void => void process.stderr.write(`${line}\n`);

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

async function credentialsFor(values: Record<string, string | boolean | undefined>, stateDir: string): Promise<DeviceCredentials[]> {
  const str = (key: string): string | undefined => (typeof values[key] === 'string' ? values[key] : undefined);
  const given = str('credentials');
  if (given) return loadCredentials(resolve(given));
  const api = str('api');
  if (!api) throw new UsageError('give --api <url> to register locks, or --credentials <file>');
  const endpoint = `${api.replace(/\/+$/, '')}/graphql`;
  const count = positiveInt('devices', str('devices') ?? '1');
  const username = str('username') ?? process.env.SMARTLOCK_USERNAME;
  const password = str('password') ?? process.env.SMARTLOCK_PASSWORD;
  const account = username && password ? { username, password } : loadOrCreateAccount(stateDir, hostname());
  const token = await signInOrUp(endpoint, account);
  out(`signed in to ${endpoint} as ${account.username}`);
  const file = join(stateDir, 'credentials.json');
  const known = new Map(loadCredentials(file).map((d) => [d.deviceId, d.deviceSecret]));
  const { devices, skipped } = await registerLocks({ endpoint, token, count, known });
  for (const s of skipped) err(`skipped ${s.deviceId}: ${s.reason}`);
  saveCredentials(file, devices);
  out(`${devices.length} lock(s) ready; credentials in ${file}`);
  return devices;
}

type UnclaimedValues = { unclaimed?: string; broker?: string; api?: string; prefix: string; 'heartbeat-ms': string; protocol: string };

/** --unclaimed: locks fresh from the factory, until SIGINT/SIGTERM (unclaimed-fleet.ts). */
async function runUnclaimed(values: UnclaimedValues, stateDir: string): Promise<number> {
  const fleet = await startUnclaimedFleet({
    brokerUrl: values.broker ?? defaultBroker(values.api),
    topicPrefix: values.prefix,
    count: positiveInt('unclaimed', values.unclaimed ?? '1'),
    stateDir,
    heartbeatMs: positiveInt('heartbeat-ms', values['heartbeat-ms']),
    protocol: isProtocolVersion(Number(values.protocol)) ? (Number(values.protocol) as ProtocolVersion) : 3,
    // The api serves the app: its address is the app's.
    appUrl: values.api,
    out,
  });
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  await fleet.stop();
  return 0;
}

function defaultBroker(api: string | undefined): string {
  return `mqtt://${api ? new URL(api).hostname : '127.0.0.1'}:1883`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      api: { type: 'string' },
      devices: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      broker: { type: 'string' },
      prefix: { type: 'string', default: 'smartlock' },
      'heartbeat-ms': { type: 'string', default: '9000' },
      'battery-drain-minutes': { type: 'string', default: '30' },
      'state-dir': { type: 'string', default: './data/simulator' },
      credentials: { type: 'string' },
      protocol: { type: 'string', default: '3' },
      verbose: { type: 'boolean', default: false },
      unclaimed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const stateDir = resolve(values['state-dir']);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  if (values.unclaimed !== undefined) return runUnclaimed(values, stateDir);
  const devices = await credentialsFor(values, stateDir);
  if (devices.length === 0) throw new Error('no locks to run');
  const brokerUrl = values.broker ?? defaultBroker(values.api);
  const protocol = Number(values.protocol);
  if (!isProtocolVersion(protocol)) throw new UsageError('--protocol must be 1, 2 or 3');

  const handled = { ok: 0, failed: 0, rejected: 0, dropped: 0 };
  const count = (event: CommandEvent): void => void (handled[event.outcome] += 1);
  const watch = (lock: SimulatedLock): void => {
    lock.on('online', () => out(`online  ${lock.deviceId} (boot ${lock.bootCount})`));
    lock.on('offline', () => out(`offline ${lock.deviceId}`));
    lock.on('command', count);
  };
  out(`starting ${devices.length} lock(s) on ${brokerUrl} under ${values.prefix}/, protocol v${protocol}`);
  const fleet = await startFleet({
    brokerUrl,
    topicPrefix: values.prefix,
    devices,
    heartbeatMs: positiveInt('heartbeat-ms', values['heartbeat-ms']),
    batteryDrainMinutes: positiveInt('battery-drain-minutes', values['battery-drain-minutes']),
    protocol,
    stateDir: join(stateDir, 'counters'),
    onCreate: watch,
    log: values.verbose ? err : undefined,
  });
  for (const f of fleet.failures.slice(0, 5)) err(`could not start ${f.deviceId}: ${f.error.message}`);
  if (fleet.failures.length > 5) err(`… and ${fleet.failures.length - 5} more could not start`);
  if (fleet.locks.length === 0) return 1;

  const report = setInterval(() => {
    const online = fleet.locks.filter((l) => l.connected).length;
    const total = handled.ok + handled.failed + handled.rejected + handled.dropped;
    out(`${new Date().toISOString()} online ${online}/${fleet.locks.length}, commands ${total} (ok ${handled.ok}, failed ${handled.failed}, rejected ${handled.rejected}, dropped ${handled.dropped})`);
  }, 10_000);

  await new Promise<void>((done) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      out(`${signal}: stopping ${fleet.locks.length} lock(s)`);
      // A second signal means the graceful stop hangs (broker gone): leave at once.
      process.once(signal, () => process.exit(130));
      done();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  clearInterval(report);
  await fleet.stop({ graceful: true });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error & { code?: unknown }) => {
    err(`simulate: ${error.message}`);
    const badArguments = error instanceof UsageError || (typeof error.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS'));
    if (badArguments) err(USAGE);
    process.exit(badArguments ? 2 : 1);
  },
);
