/**
 * A simulated lock's MQTT connection: the broker options, the password each attempt gives
 * (broker-login.ts), and the wait for the first admission, which tolerates the one login refusal
 * a v2 lock expects when the broker knows its other password.
 */
import { type EventEmitter } from 'node:events';
import { connect, type MqttClient } from 'mqtt';
import { type BrokerLogin } from './broker-login.js';
import { type SimulatedLockEvents } from './lock-types.js';

export interface LockConnectionOptions {
  brokerUrl: string;
  deviceId: string;
  login: BrokerLogin;
  /** A v2 lock refused with one password tries the other; mqtt.js stops after a refusal otherwise. */
  speaksV2: boolean;
  availabilityTopic: string;
  /** mqtts:// only: the pinned root and the name to check (SimulatedLockOptions.tls). */
  tls?: { ca?: string | Buffer; servername?: string } | undefined;
}

export function connectAsLock(options: LockConnectionOptions): MqttClient {
  const { deviceId, login } = options;
  const client = connect(options.brokerUrl, {
    username: deviceId,
    password: login.nextPassword(),
    clientId: deviceId, // brokers bind it to the username (docs/protocol.md)
    keepalive: 10,
    clean: true,
    // Spread reconnects so a broker restart does not meet thousands of locks at the same instant.
    reconnectPeriod: 1000 + Math.floor(Math.random() * 4000),
    reconnectOnConnackError: options.speaksV2,
    will: { topic: options.availabilityTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
    ...options.tls,
  });
  // mqtt.js builds each reconnect's CONNECT from client.options: the password for the next attempt goes there.
  let admitted = false;
  client.on('close', () => {
    if (!admitted) login.failed();
    admitted = false;
    client.options.password = login.nextPassword();
  });
  client.on('connect', () => {
    admitted = true;
  });
  return client;
}

export interface OnlineWait {
  deviceId: string;
  timeoutMs: number;
  /** Login refusals to sit out (the next attempt uses the other password) before giving up. */
  refusalsTolerated: number;
  /** Called after the client was ended, before the promise rejects. */
  onGiveUp: () => void;
}

/** Resolves when the lock emits `online`; on an error or the timeout, ends the client and rejects. */
export function untilOnline(client: MqttClient, lock: EventEmitter<SimulatedLockEvents>, wait: OnlineWait): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${wait.deviceId}: not online after ${wait.timeoutMs} ms`)), wait.timeoutMs);
    let refusals = 0;
    const done = (): void => {
      clearTimeout(timer);
      client.off('error', failed);
      resolve();
    };
    const failed = (error: Error): void => {
      if (isLoginRefusal(error) && ++refusals <= wait.refusalsTolerated) return;
      fail(error);
    };
    const fail = (error: Error): void => {
      clearTimeout(timer);
      client.off('error', failed);
      lock.off('online', done);
      client.end(true);
      wait.onGiveUp();
      reject(error);
    };
    lock.once('online', done);
    client.on('error', failed);
  });
}

/** CONNACK 4 (bad user name or password) or 5 (not authorized). */
function isLoginRefusal(error: Error): boolean {
  const code = (error as Error & { code?: unknown }).code;
  return code === 4 || code === 5;
}
