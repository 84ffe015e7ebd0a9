/**
 * A v2 or v3 lock's side of the version negotiation (docs/protocol.md §11.3), as the firmware's
 * negotiator does it: a signed hello after each connect, repeated with back-off until a welcome
 * arrives; the welcome is taken only while awaited, signed with the cmd key, choosing a version
 * the hello announced. The version chosen lasts one connection.
 */
import { type MqttClient } from 'mqtt';
import { signPayload } from '../devices/protocol/signature.js';
import { helloJson } from '../devices/protocol/messages-v2.js';
import { decodePayload, type Verdict } from '../devices/protocol/verify.js';
import { verifyFromServerV2 } from '../devices/protocol/verify-v2.js';
import { isProtocolVersion, spokenVersions, usesPurposeKeys, type KeyedVersion, type ProtocolVersion } from '../devices/protocol/versions.js';

const MAX_HELLO_RETRY_MS = 10 * 60_000;

export interface HelloHandshakeOptions {
  deviceId: string;
  /** v2 keys (docs/protocol.md §11.1): `cmd` verifies the welcome, `status` signs the hello. */
  cmdKey: Buffer;
  statusKey: Buffer;
  statusTopic: string;
  fw: string;
  /** The first repeat; it doubles up to 10 minutes. */
  firstRetryMs: number;
  /** The hello's boot, seq and ts; uses up a seq and remembers it as sent, like a status. */
  stamp: () => { boot: number; seq: number; ts: number };
  /** Whether `client` is still the lock's connection, so a late retry does not outlive it. */
  isCurrent: (client: MqttClient) => boolean;
  log: (line: string) => void;
  /** The highest version announced: the hello's `vers` is 1 … this. */
  maxVersion: KeyedVersion;
}

export type WelcomeOutcome = { taken: true; version: ProtocolVersion } | { taken: false; verdict: Verdict };

export class HelloHandshake {
  /** The version spoken on this connection: 1 until a welcome chose another. */
  private version: ProtocolVersion = 1;
  private awaiting = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = 0;

  constructor(private readonly options: HelloHandshakeOptions) {}

  get speaking(): ProtocolVersion {
    return this.version;
  }

  get awaitingWelcome(): boolean {
    return this.awaiting;
  }

  /** After a connect: the first hello, then its repeats until a welcome or the connection ends. */
  async begin(client: MqttClient): Promise<void> {
    this.awaiting = true;
    this.retryMs = this.options.firstRetryMs;
    await this.sendHello(client);
    this.scheduleRetry(client);
  }

  /** Takes a welcome if it is valid and chooses a version we announced; stops the repeats. */
  takeWelcome(text: string): WelcomeOutcome {
    const { cmdKey, deviceId } = this.options;
    // A welcome is always "v":2, whatever it chooses (docs/protocol.md §13).
    const verified = verifyFromServerV2(cmdKey, decodePayload(Buffer.from(text)) ?? '', deviceId, ['welcome'], [2]);
    if (verified.verdict !== 'valid') return { taken: false, verdict: verified.verdict };
    const { ver } = verified.message;
    if (!isProtocolVersion(ver) || ver > this.options.maxVersion) return { taken: false, verdict: verified.verdict };
    this.awaiting = false;
    clearTimeout(this.retryTimer);
    this.version = ver;
    return { taken: true, version: this.version };
  }

  /** The connection ended: the negotiated version lasts one connection (docs/protocol.md §11.3). */
  end(): void {
    clearTimeout(this.retryTimer);
    this.version = 1;
    this.awaiting = false;
  }

  /** The signed hello, first on the status topic after each connect. */
  private async sendHello(client: MqttClient): Promise<void> {
    const { deviceId, statusKey, statusTopic, fw } = this.options;
    const hello = { v: 2 as const, type: 'hello' as const, dev: deviceId, ...this.options.stamp(), vers: spokenVersions(this.options.maxVersion), fw };
    await client.publishAsync(statusTopic, signPayload(statusKey, helloJson(hello)), { qos: 1 });
  }

  /** Repeats the hello with back-off (10 s, 20 s, … 10 min) until a welcome arrives. */
  private scheduleRetry(client: MqttClient): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.awaiting || !this.options.isCurrent(client) || !client.connected) return;
      this.retryMs = Math.min(this.retryMs * 2, MAX_HELLO_RETRY_MS);
      this.sendHello(client).catch((error: Error) => this.options.log(`${this.options.deviceId}: hello failed: ${error.message}`));
      this.scheduleRetry(client);
    }, this.retryMs);
    this.retryTimer.unref();
  }
}

/** The `maxVersion` of a lock that speaks up to `protocol` (a v1-only lock never says hello). */
export function highestKeyed(protocol: ProtocolVersion): KeyedVersion {
  return usesPurposeKeys(protocol) ? protocol : 2;
}
