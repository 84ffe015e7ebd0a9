/**
 * Runs the embedded broker (embedded-broker.ts) in a process of its own and keeps it running.
 *
 * Why a process: aedes holds ~16 KB per connection (bench/broker-memory.mjs), so 10,000 locks
 * cost the process that hosts it ~160 MB before any of the api's own work; and its parsing and
 * routing compete with the api for one event loop. Apart, the api holds what it would hold
 * with Mosquitto, the two use both cores, and keepalives are answered however busy the api is.
 *
 * Lock traffic goes over MQTT on TCP exactly as to an external broker; the IPC channel carries
 * control only (broker-process-messages.ts): the broker asks the api about logins (the store is
 * here), the api hands it TLS pre-shared keys and asks it to end a lock's sessions. If the broker
 * process dies, it is started again on the same ports with the same keys (locks reconnect by
 * their backoff); if the api dies, the broker sees its channel close and ends too.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { startDeadline } from '../../app/deadline.js';
import type { Logger } from '../../app/logger.js';
import type { BrokerQuestion, BrokerStartOptions, FromBroker, ToBroker } from './broker-process-messages.js';
import type { RefusalKind } from './embedded-broker.js';
import type { DeviceAuthenticator } from './lock-link.js';
import { PskDirectory } from './psk-directory.js';
import { connectToRelay } from './relay-listener.js';

/** What the broker process is started with (its listeners, topics, the api's account), and the api's answers. */
export interface BrokerProcessOptions extends Omit<BrokerStartOptions, 'relayToken' | 'psks'> {
  log: Logger;
  authenticator: DeviceAuthenticator;
  transport?: { admit(deviceId: string, overTls: boolean): Promise<boolean> };
  onRefused?: (kind: RefusalKind, deviceId: string | undefined) => void;
  onClientIdClaimed?: (claimedId: string, byDeviceId: string) => void;
  onServerBacklog?: (bytes: number) => void;
  /** How long the broker may take to listen (tests); START_TIMEOUT_MS by default. */
  startTimeoutMs?: number;
}

export interface BrokerProcess {
  readonly port: number;
  readonly tlsPort: number | undefined;
  /** A connection for a lock relayed from MQTT over WebSockets; `overHttps`: it reached the api over TLS. */
  openRelayed(overHttps: boolean): Socket;
  /** The broker process's pid (changes when it is started again), e.g. to measure its memory. */
  readonly pid: number | undefined;
  setPsk(deviceId: string, tlsPsk: Buffer): void;
  deletePsk(deviceId: string): void;
  replacePsks(entries: Iterable<{ deviceId: string; tlsPsk: Buffer }>): void;
  /** Ends a lock's live sessions; resolves with how many (0 if the broker is down: it has none). */
  disconnectDevice(deviceId: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * How long the broker may take to listen, and to stop, before it is killed. Starting is a hang
 * detector, not a speed goal: it takes ~0.3 s here, and a CI run once took over 15 s with both
 * cores busy; a slower board starting everything at boot needs room too.
 */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;
/** Wait before starting a broker that died, doubling up to the maximum while it keeps failing. */
const RESTART_DELAY_MS = 500;
const RESTART_DELAY_MAX_MS = 10_000;

/**
 * The built broker-child.js beside this file; under the test runner (TypeScript sources) the .ts
 * file through tsx, a development dependency.
 */
function childEntry(): { path: string; execArgv: string[] } {
  const fromSource = __filename.endsWith('.ts');
  return { path: join(__dirname, fromSource ? 'broker-child.ts' : 'broker-child.js'), execArgv: fromSource ? ['--import', 'tsx'] : [] };
}

/** Starts the broker process; rejects with the broker's own message when it cannot listen (e.g. a port in use). */
export async function startBrokerProcess(options: BrokerProcessOptions): Promise<BrokerProcess> {
  const log = options.log.child({ component: 'broker-process' });
  const { startTimeoutMs = START_TIMEOUT_MS } = options;
  const psks = new PskDirectory();
  const disconnects = new Map<number, (sessions: number) => void>();
  let nextRequest = 1;
  let child: ChildProcess | undefined;
  let stopping: Promise<void> | undefined;
  let restartDelay = RESTART_DELAY_MS;
  let restartTimer: NodeJS.Timeout | undefined;
  const relayToken = randomBytes(32).toString('hex');
  /** The relay listener's port: a free one, chosen again at each (re)start. */
  let relayPort: number | undefined;

  const send = (message: ToBroker): void => {
    if (child?.connected) child.send(message);
  };

  async function answer(id: number, question: BrokerQuestion): Promise<void> {
    try {
      const ok =
        question.about === 'password'
          ? await options.authenticator.verifyDevicePassword(question.deviceId, question.password)
          : ((await options.transport?.admit(question.deviceId, question.overTls)) ?? true);
      send({ type: 'answer', id, ok });
    } catch (error) {
      send({ type: 'answer', id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }

  function handle(message: FromBroker): void {
    switch (message.type) {
      case 'ask':
        return void answer(message.id, message.question);
      case 'disconnected':
        disconnects.get(message.id)?.(message.sessions);
        disconnects.delete(message.id);
        return;
      case 'refused':
        return options.onRefused?.(message.kind, message.deviceId);
      case 'client-id-claimed':
        return options.onClientIdClaimed?.(message.claimedId, message.byDeviceId);
      case 'server-backlog':
        return options.onServerBacklog?.(message.bytes);
      case 'listening':
      case 'failed':
      case 'stopped':
        return; // awaited by spawn() and stop()
    }
  }

  /** One broker process, resolved once it listens. */
  function spawn(startOptions: BrokerStartOptions): Promise<{ port: number; tlsPort: number | undefined; relayPort: number | undefined }> {
    const entry = childEntry();
    const started = fork(entry.path, [], { execArgv: entry.execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child = started;
    let listening = false;
    return new Promise((resolve, reject) => {
      const deadline = startDeadline(startTimeoutMs, () => {
        started.kill('SIGKILL');
        reject(new Error(`the embedded MQTT broker did not start within ${startTimeoutMs} ms`));
      });
      const settle = (message: FromBroker) => {
        if (message.type === 'listening') {
          listening = true;
          relayPort = message.relayPort;
          resolve({ port: message.port, tlsPort: message.tlsPort, relayPort: message.relayPort });
        } else if (message.type === 'failed') reject(new Error(message.message));
        else return;
        deadline.clear();
        started.off('message', settle);
      };
      started.on('message', settle);
      started.on('message', handle);
      // Every error, not only the first: a send racing the channel's close is reported here, and an
      // 'error' event without a listener would end the api.
      started.on('error', (error) => {
        deadline.clear();
        reject(error);
        log.warn({ err: error.message }, 'embedded MQTT broker process: channel error');
      });
      started.once('exit', (code, signal) => {
        deadline.clear();
        reject(new Error(`the embedded MQTT broker exited while starting (${signal ?? `code ${code}`})`));
        if (child === started) child = undefined;
        for (const done of disconnects.values()) done(0);
        disconnects.clear();
        // Only a broker that ran is started again; one that could not start reports why instead.
        if (!stopping && listening) {
          log.error({ code, signal }, 'the embedded MQTT broker process ended unexpectedly: starting it again');
          restartLater();
        }
      });
      started.send({ type: 'start', options: startOptions } satisfies ToBroker);
    });
  }

  const startOptions = (port: number, tlsPort: number | undefined): BrokerStartOptions => ({
    host: options.host,
    port,
    tlsPort,
    topicPrefix: options.topicPrefix,
    server: options.server,
    logLevel: options.logLevel,
    relayToken,
    psks: [...psks.entries()],
  });

  const first = await spawn(startOptions(options.port, options.tlsPort));
  log.debug({ pid: child?.pid, ...first }, 'embedded MQTT broker process started');

  function restartLater(): void {
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      // The same ports: locks and the api's own link reconnect to where they were.
      spawn(startOptions(first.port, first.tlsPort)).then(
        () => {
          restartDelay = RESTART_DELAY_MS;
          log.info({ pid: child?.pid }, 'embedded MQTT broker process running again');
        },
        (error: unknown) => {
          restartDelay = Math.min(restartDelay * 2, RESTART_DELAY_MAX_MS);
          log.error({ err: error instanceof Error ? error.message : String(error), retryInMs: restartDelay }, 'the embedded MQTT broker process could not start again');
          if (!stopping) restartLater();
        },
      );
    }, restartDelay);
  }

  return {
    port: first.port,
    tlsPort: first.tlsPort,
    get pid() {
      return child?.pid;
    },
    openRelayed(overHttps) {
      // While the broker restarts there is no relay port: a closed socket, as if it refused.
      return connectToRelay(relayPort ?? 0, relayToken, overHttps);
    },
    setPsk(deviceId, tlsPsk) {
      psks.set(deviceId, tlsPsk);
      send({ type: 'psk-set', deviceId, tlsPsk });
    },
    deletePsk(deviceId) {
      psks.delete(deviceId);
      send({ type: 'psk-delete', deviceId });
    },
    replacePsks(entries) {
      psks.replaceAll(entries);
      send({ type: 'psk-replace', entries: [...psks.entries()] });
    },
    disconnectDevice(deviceId) {
      if (!child?.connected) return Promise.resolve(0);
      const id = nextRequest++;
      return new Promise((resolve) => {
        disconnects.set(id, resolve);
        send({ type: 'disconnect', id, deviceId });
      });
    },
    stop() {
      stopping ??= (async () => {
        clearTimeout(restartTimer);
        const running = child;
        if (!running || running.exitCode !== null || running.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
        const killer = setTimeout(() => running.kill('SIGKILL'), STOP_TIMEOUT_MS);
        if (running.connected) running.send({ type: 'stop' } satisfies ToBroker);
        else running.kill('SIGKILL');
        await exited;
        clearTimeout(killer);
        log.debug('embedded MQTT broker process stopped');
      })();
      return stopping;
    },
  };
}
