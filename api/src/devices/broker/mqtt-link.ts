/**
 * LockLink over mqtt.js: one MQTT 3.1.1 clean-session connection from the api
 * to a broker (the embedded aedes one or an external one such as Mosquitto).
 */
import { randomBytes } from 'node:crypto';
import { connect, type IClientSubscribeOptions, type MqttClient } from 'mqtt';
import { startDeadline, type Deadline } from '../../app/deadline.js';
import type { Logger } from '../../app/logger.js';
import type { Topics } from '../protocol/topics.js';
import type { LockLink, LockMessage } from './lock-link.js';

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export interface MqttLinkOptions {
  /** mqtt://, mqtts://, ws:// or wss:// (credentials in it are never logged). */
  url: string;
  username: string;
  password: string;
  /** @default `smartlock-api-<random>` */
  clientId?: string;
  topics: Topics;
  /** Subscribe to status as `$share/<group>/…` so api replicas split the load. */
  sharedGroup?: string;
  log: Logger;
  /** Reconnect delays double from initialMs up to maxMs, with jitter. @default { initialMs: 1000, maxMs: 30000 } */
  backoff?: Backoff;
  /** How long start() waits for the first connection. @default 15000 */
  startTimeoutMs?: number;
  /** How long publish() waits for the PUBACK. @default 10000 */
  publishTimeoutMs?: number;
}

const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 30_000 };

/**
 * Delay before reconnect attempt `attempt` (0-based). "Equal jitter": half the
 * exponential delay is fixed, half random, so replicas and restarts spread out;
 * never 0, which mqtt.js would read as "do not reconnect".
 */
export function reconnectDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 30));
  return Math.max(1, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}

/** The filters the api subscribes to, at QoS 1. */
export function linkSubscriptions(topics: Topics, sharedGroup?: string): Record<string, IClientSubscribeOptions> {
  const status = topics.all('status');
  return {
    [sharedGroup ? `$share/${sharedGroup}/${status}` : status]: { qos: 1 },
    // Availability is never shared: it is retained, and Mosquitto does not send
    // retained messages to shared subscriptions, so a replica started after a lock
    // went offline would never learn it. Every replica handling every availability
    // change is cheap (one message per lock (dis)connection) and idempotent.
    [topics.all('availability')]: { qos: 1 },
  };
}

/**
 * Filters the api can do without: unclaimed locks' hellos (docs/protocol.md §15), never shared
 * since any replica may be asked to claim the lock. A broker whose ACL refuses them (a Mosquitto
 * set up before claiming) turns claiming off, not the api.
 */
export function optionalLinkSubscriptions(topics: Topics): Record<string, IClientSubscribeOptions> {
  return { [topics.claimHello('+')]: { qos: 1 } };
}

/** The URL without user info, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(unparsable MQTT_URL)';
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createMqttLink(options: MqttLinkOptions): LockLink {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const broker = redactUrl(options.url);
  const log = options.log.child({ component: 'mqtt-link', broker });
  const subscriptions = linkSubscriptions(options.topics, options.sharedGroup);
  const optional = optionalLinkSubscriptions(options.topics);
  const handlers: ((message: LockMessage) => void)[] = [];
  let client: MqttClient | undefined;
  let subscribed = false;
  let abortStart: ((error: Error) => void) | undefined;
  let lastError = 'no answer';

  function deliver(message: LockMessage): void {
    for (const handler of handlers) {
      try {
        handler(message);
      } catch (error) {
        // One faulty handler must not starve the others or break mqtt.js's read loop.
        log.error({ topic: message.topic, err: messageOf(error) }, 'lock message handler threw');
      }
    }
  }

  /** Opens the connection; `onRefused` is told when the broker refuses our account or a subscription. */
  function open(onReady: () => void, onRefused: (why: string) => void): MqttClient {
    let attempt = 0;
    const c = connect(options.url, {
      protocolVersion: 4,
      clean: true,
      keepalive: 15,
      clientId: options.clientId ?? `smartlock-api-${randomBytes(6).toString('hex')}`,
      username: options.username,
      password: options.password,
      connectTimeout: 10_000,
      reconnectPeriod: reconnectDelay(0, backoff),
      // A broker that refuses us once (e.g. restarting with a new ACL) may accept us later.
      reconnectOnConnackError: true,
      // Clean session: the broker forgets our subscriptions on every disconnect. We
      // resubscribe ourselves on every connect rather than let mqtt.js do it, to check each SUBACK.
      resubscribe: false,
    });
    c.on('connect', () => {
      setNoDelay(c);
      attempt = 0;
      c.options.reconnectPeriod = reconnectDelay(0, backoff);
      log.info({ clientId: c.options.clientId }, 'MQTT connected');
      c.subscribeAsync(subscriptions).then(
        () => {
          subscribed = true;
          onReady();
          c.subscribeAsync(optional).catch((error: Error) =>
            log.warn({ filters: Object.keys(optional), err: error.message }, 'MQTT subscription refused: claiming locks by code is off on this broker (docs/protocol.md §15.8)'),
          );
        },
        (error: Error & { packet?: { granted?: unknown } }) => {
          log.error({ filters: Object.keys(subscriptions), err: error.message }, 'MQTT subscribe failed');
          if (error.packet?.granted) onRefused(`subscription to ${Object.keys(subscriptions).join(', ')} refused (broker ACL?)`);
        },
      );
    });
    c.on('close', () => {
      if (subscribed) log.warn('MQTT disconnected; reconnecting');
      subscribed = false;
      // mqtt.js has already armed this reconnect with the previous value (its own
      // 'close' listener runs first), so this sets the delay of the next one.
      attempt += 1;
      c.options.reconnectPeriod = reconnectDelay(attempt, backoff);
    });
    c.on('error', (error: Error & { code?: unknown }) => {
      lastError = error.message;
      log.warn({ err: error.message }, 'MQTT error');
      // CONNACK return codes 1-5: refused, as opposed to unreachable.
      if (typeof error.code === 'number' && error.code > 0 && error.code < 6) onRefused(`account refused (MQTT_USERNAME/MQTT_PASSWORD): ${error.message}`);
    });
    c.on('message', (topic, payload, packet) => {
      if (packet.qos > 0) holdAcksUntilTurnEnds(c);
      deliver({ topic, payload, retain: packet.retain });
    });
    return c;
  }

  /** Fail fast at boot: no background retries behind a failed start(). */
  function abandon(): void {
    client?.end(true);
    client = undefined;
  }

  return {
    async start() {
      if (client) throw new Error('MQTT link already started');
      const timeoutMs = options.startTimeoutMs ?? 15_000;
      try {
        await new Promise<void>((resolve, reject) => {
          abortStart = reject;
          const deadline = startDeadline(timeoutMs, () =>
            reject(new Error(`Could not connect to the MQTT broker at ${broker} (MQTT_URL) within ${timeoutMs / 1000} s: ${lastError}`)),
          );
          const settle = (why?: string) => {
            deadline.clear();
            if (why) reject(new Error(`The MQTT broker at ${broker} (MQTT_URL) refused the api: ${why}`));
            else resolve();
          };
          client = open(settle, settle);
        });
      } catch (error) {
        abandon();
        throw error;
      } finally {
        abortStart = undefined;
      }
    },

    async stop() {
      abortStart?.(new Error('MQTT link stopped before it connected'));
      const c = client;
      client = undefined;
      subscribed = false;
      if (!c) return;
      if (!c.connected) {
        await c.endAsync(true);
        return;
      }
      // A clean DISCONNECT (so the broker drops the session at once), but do not
      // wait forever for PUBACKs of in-flight commands.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          c.stream.destroy();
          resolve();
        }, 2000);
        c.end(false, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },

    async publish(topic, payload, publishOptions) {
      const c = client;
      // mqtt.js would queue it offline and send it after a reconnect, perhaps long
      // after the caller has given up; refuse now instead.
      if (!c?.connected) throw new Error('MQTT link is not connected');
      const timeoutMs = options.publishTimeoutMs ?? 10_000;
      let deadline: Deadline | undefined;
      const timeout = new Promise<never>((_, reject) => {
        deadline = startDeadline(timeoutMs, () => reject(new Error(`no PUBACK for ${topic} within ${timeoutMs} ms`)));
      });
      try {
        const acknowledged = c.publishAsync(topic, payload, { qos: publishOptions.qos, retain: publishOptions.retain ?? false });
        sendNow(c);
        await Promise.race([acknowledged, timeout]);
      } finally {
        deadline?.clear();
      }
    },

    onMessage(handler) {
      handlers.push(handler);
    },

    isConnected() {
      return client?.connected === true && subscribed;
    },
  };
}

/**
 * mqtt.js writes a packet into a corked socket and uncorks it on the next tick, and Node runs that
 * tick only after every promise continuation queued meanwhile: a command left after the caller's
 * audit write and its GraphQL answer (1.2-1.4 ms after the publish, bench/README.md). Uncorked here,
 * it is on the wire when publish() returns; the later uncorks find nothing left to do.
 */
export function sendNow(client: MqttClient): void {
  const stream = client.stream as { writableCorked?: number; uncork?: () => void };
  while ((stream.writableCorked ?? 0) > 0 && stream.uncork) stream.uncork();
}

const holding = new WeakSet<object>();

/**
 * Holds this turn's PUBACKs until its work is done. mqtt.js writes a PUBACK right after emitting
 * the message and flushes it on the next tick, ahead of every promise continuation, so a lock's
 * answer waited out that socket write (~0.2 ms on the benchmark machine, bench/README.md) before
 * it was verified, stored and announced. The acks of one turn leave together, after the
 * announcement's own writes: a visible change is committed with the turn's batch at setImmediate
 * (store/sqlite/turn-batch.ts) and announced right after, so the acks wait one setImmediate more
 * (an immediate queued by an immediate runs on the loop's next pass). mqtt.js goes on reading
 * meanwhile: it counts a packet sent once it is buffered. A command published in the turn flushes
 * them early (sendNow).
 */
function holdAcksUntilTurnEnds(client: MqttClient): void {
  const stream = client.stream as { cork?: () => void; uncork?: () => void };
  if (!stream.cork || !stream.uncork || holding.has(stream)) return;
  holding.add(stream);
  stream.cork();
  setImmediate(() =>
    setImmediate(() => {
      holding.delete(stream);
      stream.uncork?.();
    }),
  );
}

/** Commands and acks are tiny: send them at once instead of waiting for delayed ACKs (Nagle). */
export function setNoDelay(client: MqttClient): void {
  const stream = client.stream as { setNoDelay?: (noDelay: boolean) => void };
  stream.setNoDelay?.(true);
}
