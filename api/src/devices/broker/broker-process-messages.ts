/**
 * What the api and its embedded broker's process (broker-process.ts, broker-child.ts) say to each
 * other over the IPC channel. Only control crosses it: lock messages travel over MQTT on TCP, as
 * they would to Mosquitto. Sent with Node's `advanced` serialization, so Buffers stay Buffers.
 */
import type { RefusalKind } from './embedded-broker.js';

export interface BrokerStartOptions {
  host: string;
  port: number;
  /** undefined: no TLS-PSK listener. */
  tlsPort: number | undefined;
  topicPrefix: string;
  server: { username: string; password: string };
  logLevel: string;
  /** Opens each connection the api relays from MQTT over WebSockets (relay-listener.ts). */
  relayToken: string;
  /** Every lock's TLS pre-shared key at start (the api's PskDirectory). */
  psks: Array<{ deviceId: string; tlsPsk: Buffer }>;
}

/** The api to the broker. */
export type ToBroker =
  | { type: 'start'; options: BrokerStartOptions }
  /** `error`: the api could not tell (e.g. its store failed): the login is refused as "server unavailable". */
  | { type: 'answer'; id: number; ok: boolean; error?: string }
  | { type: 'psk-set'; deviceId: string; tlsPsk: Buffer }
  | { type: 'psk-delete'; deviceId: string }
  | { type: 'psk-replace'; entries: Array<{ deviceId: string; tlsPsk: Buffer }> }
  | { type: 'disconnect'; id: number; deviceId: string }
  | { type: 'stop' };

/** Questions only the api can answer (it holds the store): may this lock log in? */
export type BrokerQuestion =
  | { about: 'password'; deviceId: string; password: Buffer }
  | { about: 'transport'; deviceId: string; overTls: boolean };

/** The broker to the api. */
export type FromBroker =
  | { type: 'listening'; port: number; tlsPort: number | undefined; relayPort: number | undefined }
  | { type: 'failed'; message: string }
  | { type: 'ask'; id: number; question: BrokerQuestion }
  | { type: 'disconnected'; id: number; sessions: number }
  | { type: 'refused'; kind: RefusalKind; deviceId: string | undefined }
  | { type: 'client-id-claimed'; claimedId: string; byDeviceId: string }
  | { type: 'server-backlog'; bytes: number }
  | { type: 'stopped' };
