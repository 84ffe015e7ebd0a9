/**
 * The api's broker connection: an external broker when MQTT_URL is set,
 * otherwise an embedded aedes broker in a process of its own (broker-process.ts)
 * that the api connects to like to any broker, with a random per-start server
 * credential that no lock can guess.
 */
import { randomBytes } from 'node:crypto';
import { createConnection, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { Config } from '../config/config.js';
import { embeddedBrokerAccounts, handKeptBrokerAccounts, type BrokerAccounts } from '../devices/broker/broker-accounts.js';
import { DynsecAccounts } from '../devices/broker/dynsec-accounts.js';
import { DynsecClient } from '../devices/broker/dynsec-client.js';
import { startBrokerProcess } from '../devices/broker/broker-process.js';
import type { DeviceAuthenticator, LockLink } from '../devices/broker/lock-link.js';
import type { LockTransport } from '../devices/lock-transport.js';
import { createMqttLink } from '../devices/broker/mqtt-link.js';
import type { Topics } from '../devices/protocol/topics.js';
import type { Metrics } from '../observability/metrics.js';
import type { HeartbeatShedder } from '../overload/heartbeat-shedder.js';
import { sheddingLink } from '../overload/shedding-link.js';
import type { Lifecycle } from './lifecycle.js';
import type { Logger } from './logger.js';

/** Not a valid device id (`$` is outside [A-Za-z0-9_-]), so no lock can register it. */
const EMBEDDED_SERVER_USERNAME = '$smartlock-api';

export interface Messaging {
  link: LockLink;
  /** The broker locks should use, for logs and the simulator. */
  brokerUrl: string;
  /** The embedded broker's plain port (none with an external broker). */
  brokerPort?: number;
  /** The embedded broker's TLS-PSK port (none with an external broker or MQTT_TLS_PORT=off). */
  brokerTlsPort?: number | undefined;
  /** The embedded broker's process id (none with an external broker), e.g. for its memory in bench/. */
  brokerPid?: () => number | undefined;
  serverUsername: string;
  /**
   * A new connection to the broker for a lock relayed from MQTT over WebSockets (http/mqtt-websocket.ts).
   * `overHttps`: the lock reached the api over TLS (the embedded broker counts that as TLS).
   */
  openRelayed: (overHttps: boolean) => Socket;
  /** Lock accounts on the broker, kept in step with the store by the locks service. */
  accounts: BrokerAccounts;
}

export interface MessagingDeps {
  config: Config;
  topics: Topics;
  metrics: Metrics;
  lifecycle: Lifecycle;
  log: Logger;
  /** Embedded broker: checks each lock's password. */
  authenticator: DeviceAuthenticator;
  /** Embedded broker: plain or TLS, per lock (lock-transport.ts). */
  transport?: LockTransport;
  shedder?: HeartbeatShedder;
  /** The api is behind what the embedded broker delivers to it. */
  onServerBacklog?: () => void;
  onClientIdClaimed?: (claimedId: string, byDeviceId: string) => void;
}

export async function startMessaging(deps: MessagingDeps): Promise<Messaging> {
  const { config, topics, authenticator, transport, metrics, lifecycle, log, shedder, onServerBacklog, onClientIdClaimed } = deps;
  const clientId = `smartlock-api-${randomBytes(6).toString('hex')}`;
  if (config.mqtt.url) {
    const username = config.mqtt.username ?? '';
    const link = createMqttLink({
      url: config.mqtt.url,
      username,
      password: config.mqtt.password ?? '',
      clientId,
      topics,
      log,
      ...(config.mqtt.sharedGroup ? { sharedGroup: config.mqtt.sharedGroup } : {}),
    });
    const accounts = config.mqtt.brokerAdmin === 'dynsec' ? await startDynsecAccounts(config, topics, lifecycle, log) : handKeptBrokerAccounts;
    if (config.mqtt.brokerAdmin === 'none') log.info('MQTT_BROKER_ADMIN=none: lock accounts on the broker are kept by hand (deploy/mosquitto/README.md)');
    const external = new URL(config.mqtt.url);
    const openRelayed = () => connectToExternal(external);
    return { link: shedder ? sheddingLink(link, shedder) : link, brokerUrl: config.mqtt.url, serverUsername: username, accounts, openRelayed };
  }
  const server = { username: EMBEDDED_SERVER_USERNAME, password: randomBytes(32).toString('hex') };
  const broker = await startBrokerProcess({
    host: config.mqtt.host,
    port: config.mqtt.port,
    tlsPort: config.mqtt.tlsPort,
    topicPrefix: topics.prefix,
    server,
    logLevel: config.logLevel,
    log,
    authenticator,
    ...(transport ? { transport } : {}),
    onRefused: (kind) => metrics.brokerRefused.inc({ kind }),
    ...(onClientIdClaimed ? { onClientIdClaimed } : {}),
    ...(onServerBacklog ? { onServerBacklog } : {}),
  });
  lifecycle.add('embedded broker', () => broker.stop());
  const wildcard = config.mqtt.host === '0.0.0.0' || config.mqtt.host === '::';
  const brokerUrl = `mqtt://${wildcard ? '127.0.0.1' : config.mqtt.host}:${broker.port}`;
  log.info({ port: broker.port, tlsPort: broker.tlsPort, pid: broker.pid }, `embedded MQTT broker listening on port ${broker.port}${broker.tlsPort !== undefined ? ` and TLS-PSK port ${broker.tlsPort}` : ' (TLS off)'}`);
  const link = createMqttLink({ url: brokerUrl, ...server, clientId, topics, log });
  return {
    // As with an external broker, heartbeats are shed as they reach the api.
    link: shedder ? sheddingLink(link, shedder) : link,
    brokerUrl,
    brokerPort: broker.port,
    brokerTlsPort: broker.tlsPort,
    brokerPid: () => broker.pid,
    openRelayed: (overHttps) => broker.openRelayed(overHttps),
    serverUsername: server.username,
    // A removed lock or a rotated secret ends the sessions opened with the old credentials at once.
    accounts: embeddedBrokerAccounts(broker),
  };
}

/** The api's second connection, for $CONTROL/dynamic-security (with the same account). */
async function startDynsecAccounts(config: Config, topics: Topics, lifecycle: Lifecycle, log: Logger): Promise<BrokerAccounts> {
  const client = new DynsecClient({ url: config.mqtt.url ?? '', username: config.mqtt.username ?? '', password: config.mqtt.password ?? '', log });
  lifecycle.add('dynamic security', () => client.stop());
  await client.start();
  return new DynsecAccounts(client, topics, log);
}

/**
 * The external broker's own MQTT listener (MQTT_URL, mqtt:// or mqtts://: config.ts refuses ws:// with
 * MQTT_WEBSOCKETS). The broker applies its own rules to relayed locks, per listener.
 */
function connectToExternal(url: URL): Socket {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol === 'mqtts:') return connectTls({ host, port: Number(url.port || 8883), servername: host });
  return createConnection({ host, port: Number(url.port || 1883), noDelay: true });
}
