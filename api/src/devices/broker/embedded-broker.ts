/**
 * The broker the api runs itself when no MQTT_URL is given: aedes on a plain
 * TCP port, with the protocol's access rules (see broker-access.ts) enforced
 * at CONNECT, SUBSCRIBE, PUBLISH (including the Last Will) and delivery. The
 * api runs it in a process of its own (broker-process.ts).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type Client } from 'aedes';
import type { Logger } from '../../app/logger.js';
import { DEVICE_ID_PATTERN } from '../protocol/limits.js';
import type { Topics } from '../protocol/topics.js';
import { BrokerAccess, CLAIM_USERNAME_PATTERN, hasTopicMetacharacters, identityKey, sameSecret, type BrokerIdentity } from './broker-access.js';
import { flatMqemitter } from './flat-mqemitter.js';
import { createRelayServer } from './relay-listener.js';
import { createPskServer } from './tls-psk-listener.js';
import type { DeviceAuthenticator } from './lock-link.js';

export type RefusalKind = 'auth' | 'subscribe' | 'publish';

export interface EmbeddedBrokerOptions {
  host: string;
  /** 0 picks a free port; the chosen one is returned. */
  port: number;
  topics: Topics;
  authenticator: DeviceAuthenticator;
  /** The api's own account (the only one that may publish commands). */
  server: { username: string; password: string };
  log: Logger;
  /**
   * A lock logged in with a client id other than its device id (refused): `claimedId` may be
   * another lock's, whose session it would hold or take over. For the victim's audit trail.
   */
  onClientIdClaimed?: (claimedId: string, byDeviceId: string) => void;
  /** Called once per refused connection, subscription or publish, e.g. for a metric. */
  onRefused?: (kind: RefusalKind, deviceId: string | undefined) => void;
  /**
   * Told when more than SERVER_BACKLOG_BYTES wait to be written to the api's own connection:
   * the api is not keeping up with what the broker delivers.
   */
  onServerBacklog?: (bytes: number) => void;
  /** A second listener speaking TLS with each lock's pre-shared key (identity = device id): tls-psk-listener.ts. */
  tls?: { port: number; psk: (deviceId: string) => Buffer | undefined };
  /**
   * A loopback listener for connections the api relays from MQTT over WebSockets (relay-listener.ts),
   * each opened with this per-start token; a relayed connection that reached the api over https
   * counts as TLS.
   */
  relay?: { token: string };
  /** Asked after a lock's password checks out: may it log in over this transport (lock-transport.ts)? */
  transport?: { admit(deviceId: string, overTls: boolean): Promise<boolean> };
}

export interface EmbeddedBroker {
  port: number;
  /** The TLS-PSK listener's port, when there is one. */
  tlsPort: number | undefined;
  /** The relay listener's port on 127.0.0.1, when there is one. */
  relayPort: number | undefined;
  /** Ends a lock's live sessions (its credentials were rotated or it was removed); returns how many. */
  disconnectDevice(deviceId: string): number;
  stop(): Promise<void>;
}

// CONNACK return codes of MQTT 3.1.1 (aedes declares them as a const enum, which
// isolated-module transpilers such as vitest's cannot inline).
const IDENTIFIER_REJECTED = 2;
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

/** ~250 statuses waiting for the api's connection: at a few thousand a second, ~0.1 s behind. */
export const SERVER_BACKLOG_BYTES = 64 * 1024;

class Refusal extends Error {
  constructor(
    readonly returnCode: 2 | 3 | 4 | 5,
    message: string,
    readonly deviceId?: string,
  ) {
    super(message);
  }
}

/** Starts aedes on `host:port`; rejects with a message naming MQTT_URL/MQTT_PORT when the port is taken. */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { topics, authenticator, server: account, onRefused } = options;
  const log = options.log.child({ component: 'embedded-broker' });
  const access = new BrokerAccess(topics);
  const identities = new WeakMap<Client, BrokerIdentity>();
  const willTopics = new WeakMap<Client, string>();
  // Client id → owner of the live session with that id. aedes closes an existing
  // session when a new CONNECT reuses its id, which fires the old one's will, so
  // without this a lock could knock another lock (or the api) offline and have
  // "offline" published on its behalf.
  const liveIds = new Map<string, { client: Client; key: string }>();
  /** The PSK identity each TLS connection proved in its handshake. */
  const pskIdentities = new WeakMap<object, string>();
  /** Relayed connections whose lock reached the api's edge over https. */
  const relayedOverHttps = new WeakSet<object>();

  function refused(kind: RefusalKind, deviceId: string | undefined, details: Record<string, unknown>, why: string): void {
    log.warn({ deviceId, ...details }, `refused ${kind}: ${why}`);
    onRefused?.(kind, deviceId);
  }

  async function admit(client: Client, username: string | undefined, password: Buffer | undefined): Promise<BrokerIdentity> {
    if (hasTopicMetacharacters(client.id)) throw new Refusal(IDENTIFIER_REJECTED, 'client id contains + # or /');
    if (username === undefined || hasTopicMetacharacters(username)) throw new Refusal(BAD_USERNAME_OR_PASSWORD, 'username missing or contains + # or /');
    const isServer = sameSecret(username, account.username) && sameSecret(password, account.password);
    const claimant = CLAIM_USERNAME_PATTERN.exec(username)?.[1];
    let identity: BrokerIdentity;
    if (isServer) identity = { kind: 'server' };
    else if (claimant !== undefined) {
      // An unclaimed lock: any password (the server learns its claim secret only from the code),
      // so this account reaches nothing but its own claim topic, whose messages are signed and
      // encrypted under that secret. Not over TLS-PSK: an unclaimed lock has no key yet.
      if (client.id !== username) throw new Refusal(IDENTIFIER_REJECTED, `client id ${client.id} is not the claim account's`);
      if (pskIdentities.get(client.conn) !== undefined) throw new Refusal(NOT_AUTHORIZED, 'a claim account has no TLS identity');
      identity = { kind: 'claim', factoryId: claimant };
    } else {
      const deviceId = DEVICE_ID_PATTERN.test(username) ? username : undefined;
      // One answer for unknown devices and wrong passwords: which ids exist is not for strangers to learn.
      if (!deviceId || !password || !(await authenticator.verifyDevicePassword(deviceId, password))) {
        throw new Refusal(BAD_USERNAME_OR_PASSWORD, 'unknown device or wrong password', deviceId);
      }
      // The client id is bound to the username: a lock using another lock's id as its client id
      // would hold that id while the lock is offline (it then gets "Identifier rejected" on every
      // reconnect) or, on brokers that let the newer session win, knock it offline.
      if (client.id !== deviceId) {
        if (DEVICE_ID_PATTERN.test(client.id)) options.onClientIdClaimed?.(client.id, deviceId);
        throw new Refusal(IDENTIFIER_REJECTED, `client id ${client.id} is not the lock's device id`, deviceId);
      }
      // Over TLS-PSK the handshake already proved which lock this is: it may log in as that lock only.
      const proven = pskIdentities.get(client.conn);
      if (proven !== undefined && proven !== deviceId) {
        throw new Refusal(NOT_AUTHORIZED, `TLS identity ${proven} may not log in as another lock`, deviceId);
      }
      const overTls = proven !== undefined || relayedOverHttps.has(client.conn);
      if (options.transport && !(await options.transport.admit(deviceId, overTls))) {
        throw new Refusal(NOT_AUTHORIZED, 'this lock must log in over TLS', deviceId);
      }
      identity = { kind: 'device', deviceId };
    }
    const deviceId = identity.kind === 'device' ? identity.deviceId : undefined;
    // aedes authorizes a will only when it fires, and then drops a refused one
    // silently; refusing it here tells a misconfigured lock at once.
    const will = willTopics.get(client);
    if (will !== undefined && !access.mayPublish(identity, will)) throw new Refusal(NOT_AUTHORIZED, `will topic ${will} not allowed`, deviceId);
    const live = liveIds.get(client.id);
    if (live && !live.client.closed && live.key !== identityKey(identity)) {
      throw new Refusal(IDENTIFIER_REJECTED, 'client id in use by another account', deviceId);
    }
    // Registered in the same synchronous step as the check above, so two racing CONNECTs cannot both pass it.
    liveIds.set(client.id, { client, key: identityKey(identity) });
    identities.set(client, identity);
    return identity;
  }

  const broker = await Aedes.createBroker({
    // Messages in flight before aedes queues them in mqemitter (default 100). That queue's
    // Array.shift costs O(n) per message, so under a flood it turned overload into collapse:
    // at 20,000 heartbeats/s (bench/overload.mjs) 100 left 51 of 200 locks starved of their
    // keepalive and 16% of changes undelivered; 2000 left none of either.
    concurrency: 2000,
    // Its queue drains by recursion and overflowed the stack at 10,000 locks (flat-mqemitter.ts).
    mq: flatMqemitter({ concurrency: 2000 }),
    preConnect(client, packet, callback) {
      // authenticate() does not see the CONNECT packet; keep its will topic for it.
      if (packet.will) willTopics.set(client, packet.will.topic);
      callback(null, true);
    },
    authenticate(client, username, password, callback) {
      admit(client, username, password).then(
        (identity) => {
          log.debug({ clientId: client.id, deviceId: identity.kind === 'device' ? identity.deviceId : undefined }, 'client admitted');
          callback(null, true);
        },
        (error: unknown) => {
          const refusal = error instanceof Refusal ? error : new Refusal(SERVER_UNAVAILABLE, 'authenticator failed');
          if (!(error instanceof Refusal)) log.error({ err: error instanceof Error ? error.message : String(error) }, 'device authenticator failed');
          refused('auth', refusal.deviceId, { clientId: client.id }, refusal.message);
          callback(Object.assign(new Error(refusal.message), { returnCode: refusal.returnCode }), false);
        },
      );
    },
    authorizeSubscribe(client, subscription, callback) {
      const identity = identities.get(client);
      if (identity && access.maySubscribe(identity, subscription.topic)) return callback(null, subscription);
      refused('subscribe', deviceIdOf(identity), { topic: subscription.topic }, 'topic not allowed');
      // A null subscription (not an error) makes aedes answer SUBACK 0x80 and keep the connection.
      callback(null, null);
    },
    authorizePublish(client, packet, callback) {
      // client is null only for a will left by another broker instance sharing persistence;
      // its owner cannot be checked, so it is not published.
      const identity = client ? identities.get(client) : undefined;
      if (identity && access.mayPublish(identity, packet.topic)) return callback(null);
      refused('publish', deviceIdOf(identity), { topic: packet.topic }, 'topic not allowed');
      // MQTT 3.1.1 has no negative PUBACK: aedes drops the message and closes the connection
      // (or, for a will, just drops it).
      callback(new Error('publish not authorized'));
    },
    authorizeForward(client, packet) {
      const identity = identities.get(client);
      if (!identity || !access.mayReceive(identity, packet.topic)) return null;
      if (identity.kind === 'server' && options.onServerBacklog) {
        // Bytes queued for the api's own connection: the api's client is not keeping up with the broker.
        const queued = (client as unknown as { conn?: { writableLength?: number } }).conn?.writableLength ?? 0;
        if (queued > SERVER_BACKLOG_BYTES) options.onServerBacklog(queued);
      }
      return packet;
    },
  });
  broker.on('clientDisconnect', (client) => {
    if (liveIds.get(client.id)?.client === client) liveIds.delete(client.id);
  });
  broker.on('clientError', (client, error) => log.debug({ clientId: client.id, err: error.message }, 'client error'));
  broker.on('connectionError', (client, error) => log.debug({ clientId: client.id, err: error.message }, 'connection error'));

  // Small MQTT packets must not wait for delayed ACKs (Nagle): it added ~40 ms per hop in bench/.
  const server = createServer({ noDelay: true }, broker.handle);
  // aedes.close() ends registered clients only; sockets that never sent CONNECT are ended here.
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  server.on('connection', track);
  const { tls } = options;
  const tlsServer = tls ? createPskServer(tls.psk, pskIdentities, broker.handle, log, () => onRefused?.('auth', undefined)) : undefined;
  // The TCP socket under each TLS one, from its first byte: a handshake still running at stop ends too.
  tlsServer?.on('connection', track);
  const relayServer = options.relay
    ? createRelayServer(
        options.relay.token,
        (socket, overHttps) => {
          if (overHttps) relayedOverHttps.add(socket);
          broker.handle(socket);
        },
        log,
      )
    : undefined;
  relayServer?.on('connection', track);
  let port: number;
  let tlsPort: number | undefined;
  let relayPort: number | undefined;
  try {
    port = await listen(server, options.host, options.port, 'MQTT_PORT');
    if (tlsServer && tls) tlsPort = await listen(tlsServer, options.host, tls.port, 'MQTT_TLS_PORT');
    // Loopback only, on a free port: only the api on this machine relays.
    if (relayServer) relayPort = await listen(relayServer, '127.0.0.1', 0, 'MQTT_PORT');
  } catch (error) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    for (const listening of [server, tlsServer, relayServer]) if (listening?.listening) await new Promise<void>((resolve) => listening.close(() => resolve()));
    throw error;
  }
  log.debug({ host: options.host, port, tlsPort, relayPort }, 'embedded MQTT broker listening');

  let stopping: Promise<void> | undefined;
  return {
    port,
    tlsPort,
    relayPort,
    disconnectDevice(deviceId) {
      const key = identityKey({ kind: 'device', deviceId });
      let ended = 0;
      for (const live of liveIds.values()) {
        if (live.key !== key || live.client.closed) continue;
        live.client.close();
        ended += 1;
      }
      if (ended > 0) log.info({ deviceId, sessions: ended }, 'ended the sessions of a lock whose credentials changed');
      return ended;
    },
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => broker.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        for (const other of [tlsServer, relayServer]) if (other?.listening) await new Promise<void>((resolve) => other.close(() => resolve()));
        log.info({ port }, 'embedded MQTT broker stopped');
      })();
      return stopping;
    },
  };
}

function deviceIdOf(identity: BrokerIdentity | undefined): string | undefined {
  return identity?.kind === 'device' ? identity.deviceId : undefined;
}

async function listen(server: Server, host: string, port: number, variable: 'MQTT_PORT' | 'MQTT_TLS_PORT'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') return reject(error);
      reject(
        new Error(
          `MQTT port ${port} on ${host} is already in use: an MQTT broker (e.g. Mosquitto) may already run there. ` +
            `Set MQTT_URL to use that broker, or ${variable} to another port (0 picks a random free one${variable === 'MQTT_TLS_PORT' ? ', off turns TLS off' : ''}).\n` +
            `To start on another port now, run: ${variable}=${port < 65535 ? port + 1 : 0} npm start`,
          { cause: error },
        ),
      );
    };
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('embedded MQTT broker has no TCP address');
  return address.port;
}
