/**
 * A lock fresh from the factory (docs/protocol.md "Claiming"): it knows only its factory id and
 * claim secret, logs in as `claim-<factory id>`, announces itself on its claim topic every
 * `helloEveryMs`, and waits for the server's claim message with its device id and K. The
 * simulator then runs it as a SimulatedLock with those credentials, as the firmware reconnects.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect, type MqttClient } from 'mqtt';
import { formatClaimCode, type ClaimCode } from '../claims/claim-code.js';
import { claimBrokerPassword, openClaimMessage, sha256, signHello } from '../claims/claim-crypto.js';
import { Topics } from '../devices/protocol/topics.js';

export interface ClaimedCredentials {
  deviceId: string;
  /** 64 lowercase hex characters. */
  deviceSecret: string;
}

export interface UnclaimedLockOptions {
  brokerUrl: string;
  topicPrefix: string;
  /** A new random identity when absent. */
  identity?: ClaimCode;
  /** @default 30000 (the protocol's hello period while unclaimed) */
  helloEveryMs?: number;
  firmware?: string;
}

/** A random factory identity, as a factory would give a lock. */
export function newFactoryIdentity(): ClaimCode {
  return { factoryId: randomBytes(8).toString('hex'), secret: Uint8Array.from(randomBytes(10)) };
}

export class UnclaimedLock extends EventEmitter<{ claimed: [ClaimedCredentials]; error: [Error] }> {
  readonly identity: ClaimCode;
  /** Fresh for each unclaimed period: the claim message must echo it, so an old one cannot be replayed. */
  readonly nonce = randomBytes(8).toString('hex');
  private client: MqttClient | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: UnclaimedLockOptions) {
    super();
    this.identity = options.identity ?? newFactoryIdentity();
  }

  /** The code printed on the box. */
  code(): Promise<string> {
    return formatClaimCode(this.identity, sha256);
  }

  /**
   * Connects, subscribes to the claim topic and says hello; resolves once the first hello is out.
   * A refused login is retried every second without rejecting: on Mosquitto with dynamic security
   * the claim account exists only while someone is claiming this lock (docs/protocol.md §15.8).
   */
  async start(): Promise<void> {
    const topics = new Topics(this.options.topicPrefix);
    const username = `claim-${this.identity.factoryId}`;
    const hello = signHello(this.identity, this.nonce, this.options.firmware ?? 'sim-2.0.0');
    const client = connect(this.options.brokerUrl, {
      username,
      password: claimBrokerPassword(this.identity),
      clientId: username,
      clean: true,
      keepalive: 10,
      reconnectPeriod: 1000,
      resubscribe: false,
    });
    this.client = client;
    client.on('message', (_topic, payload) => this.onClaim(payload.toString('latin1')));
    const announce = () => client.publishAsync(topics.claimHello(this.identity.factoryId), hello, { qos: 1 });
    // Every (re)connect: subscribe, then hello at once, as the firmware does.
    const greet = async () => {
      await client.subscribeAsync(topics.claim(this.identity.factoryId), { qos: 1 });
      await announce();
    };
    await new Promise<void>((resolve, reject) => {
      client.on('connect', () => void greet().then(resolve, (error: Error) => this.emit('error', error)));
      client.on('error', (error: Error & { code?: unknown }) => {
        if (isRefusedLogin(error)) return; // no claim account (yet): retried
        if (client.connected) this.emit('error', error);
        else reject(error);
      });
    });
    this.timer = setInterval(() => void announce().catch(() => undefined), this.options.helloEveryMs ?? 30_000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.client?.endAsync();
  }

  private onClaim(payload: string): void {
    if (payload === '') return; // the cleared claim message
    const opened = openClaimMessage(this.identity, this.nonce, payload);
    if (!opened) return; // not for us (another code, an old nonce, or forged): ignored, as the firmware does
    clearInterval(this.timer);
    this.emit('claimed', { deviceId: opened.deviceId, deviceSecret: opened.deviceSecret.toString('hex') });
  }
}

/** CONNACK 4 (bad user name or password) or 5 (not authorised), MQTT 3.1.1. */
function isRefusedLogin(error: Error & { code?: unknown }): boolean {
  return error.code === 4 || error.code === 5;
}
