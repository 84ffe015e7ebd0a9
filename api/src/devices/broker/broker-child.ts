/**
 * The embedded broker's process (started by broker-process.ts, never by hand): aedes with the
 * protocol's access rules, asking the api over IPC whatever needs the store (a lock's password,
 * whether it must use TLS) and told by it each lock's TLS pre-shared key.
 *
 * It ends when the api tells it to or when the api is gone (the IPC channel closes); it ignores
 * SIGINT and SIGTERM, which a terminal or a service manager sends to the whole process group, so
 * that the api can stop in order (its link first, then this broker).
 */
import { startDeadline, type Deadline } from '../../app/deadline.js';
import { createLogger } from '../../app/logger.js';
import { Topics } from '../protocol/topics.js';
import type { BrokerQuestion, BrokerStartOptions, FromBroker, ToBroker } from './broker-process-messages.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';
import { PskDirectory } from './psk-directory.js';

/** The api answers from memory or one store read; a question unanswered by then refuses the login. */
const ANSWER_TIMEOUT_MS = 10_000;
/** The api is told it is behind at most this often (a flood would otherwise flood the channel too). */
const BACKLOG_REPORT_MS = 100;
/** After the api is gone, how long a stop may take before this process just ends. */
const ORPHAN_STOP_MS = 2_000;

// Not after the api is gone: a send on a closed channel would raise an error nobody handles.
const send = (message: FromBroker): void => {
  if (process.connected) process.send?.(message);
};
const psks = new PskDirectory();
const pending = new Map<number, { resolve: (ok: boolean) => void; reject: (error: Error) => void; deadline: Deadline }>();
let nextQuestion = 1;
let broker: EmbeddedBroker | undefined;
let lastBacklogReport = 0;

function ask(question: BrokerQuestion): Promise<boolean> {
  const id = nextQuestion++;
  return new Promise((resolve, reject) => {
    const deadline = startDeadline(ANSWER_TIMEOUT_MS, () => {
      pending.delete(id);
      reject(new Error(`the api did not answer about ${question.about} within ${ANSWER_TIMEOUT_MS} ms`));
    });
    pending.set(id, { resolve, reject, deadline });
    send({ type: 'ask', id, question });
  });
}

async function start(options: BrokerStartOptions): Promise<void> {
  psks.replaceAll(options.psks);
  const log = createLogger(options.logLevel);
  try {
    broker = await startEmbeddedBroker({
      host: options.host,
      port: options.port,
      ...(options.tlsPort !== undefined ? { tls: { port: options.tlsPort, psk: (deviceId: string) => psks.get(deviceId) } } : {}),
      topics: new Topics(options.topicPrefix),
      relay: { token: options.relayToken },
      server: options.server,
      log,
      authenticator: { verifyDevicePassword: (deviceId, password) => ask({ about: 'password', deviceId, password }) },
      transport: { admit: (deviceId, overTls) => ask({ about: 'transport', deviceId, overTls }) },
      onRefused: (kind, deviceId) => send({ type: 'refused', kind, deviceId }),
      onClientIdClaimed: (claimedId, byDeviceId) => send({ type: 'client-id-claimed', claimedId, byDeviceId }),
      onServerBacklog: (bytes) => {
        const now = Date.now();
        if (now - lastBacklogReport < BACKLOG_REPORT_MS) return;
        lastBacklogReport = now;
        send({ type: 'server-backlog', bytes });
      },
    });
    send({ type: 'listening', port: broker.port, tlsPort: broker.tlsPort, relayPort: broker.relayPort });
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.disconnect();
  }
}

async function stop(): Promise<void> {
  await broker?.stop();
  send({ type: 'stopped' });
  process.disconnect();
}

process.on('message', (message: ToBroker) => {
  switch (message.type) {
    case 'start':
      return void start(message.options);
    case 'answer': {
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      waiting.deadline.clear();
      return message.error === undefined ? waiting.resolve(message.ok) : waiting.reject(new Error(message.error));
    }
    case 'psk-set':
      return psks.set(message.deviceId, message.tlsPsk);
    case 'psk-delete':
      return psks.delete(message.deviceId);
    case 'psk-replace':
      return psks.replaceAll(message.entries);
    case 'disconnect':
      return send({ type: 'disconnected', id: message.id, sessions: broker?.disconnectDevice(message.deviceId) ?? 0 });
    case 'stop':
      return void stop();
  }
});

process.on('disconnect', () => {
  setTimeout(() => process.exit(0), ORPHAN_STOP_MS).unref();
  void broker?.stop().then(() => process.exit(0));
  if (!broker) process.exit(0);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);
