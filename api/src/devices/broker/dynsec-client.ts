/**
 * Mosquitto 2's dynamic-security plugin over MQTT: commands are published to
 * `$CONTROL/dynamic-security/v1`, answers come back on `.../response` (to the
 * sender only). Its own connection, apart from the lock link, so that account
 * changes never wait behind a flood of statuses (or the reverse).
 */
import { randomBytes } from 'node:crypto';
import { connect, type MqttClient } from 'mqtt';
import { startDeadline, type Deadline } from '../../app/deadline.js';
import type { Logger } from '../../app/logger.js';
import { redactUrl } from './mqtt-link.js';

export const DYNSEC_TOPIC = '$CONTROL/dynamic-security/v1';
export const DYNSEC_RESPONSE_TOPIC = `${DYNSEC_TOPIC}/response`;

/** One command of the plugin's JSON API, e.g. `{ command: 'deleteClient', username }`. */
export type DynsecCommand = { command: string } & Record<string, unknown>;
export interface DynsecResponse {
  command: string;
  error?: string;
  data?: unknown;
  correlationData?: string;
}

export class DynsecError extends Error {
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`dynamic security ${command}: ${reason}`);
    this.name = 'DynsecError';
  }
}

export interface DynsecClientOptions {
  url: string;
  username: string;
  password: string;
  log: Logger;
  /** @default 10000 */
  timeoutMs?: number;
}

interface Pending {
  resolve: (responses: DynsecResponse[]) => void;
  reject: (error: Error) => void;
  deadline: Deadline;
}

export class DynsecClient {
  private client: MqttClient | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly log: Logger;

  constructor(private readonly options: DynsecClientOptions) {
    this.log = options.log.child({ component: 'dynsec', broker: redactUrl(options.url) });
  }

  async start(): Promise<void> {
    const client = connect(this.options.url, {
      protocolVersion: 4,
      clean: true,
      clientId: `smartlock-api-dynsec-${randomBytes(6).toString('hex')}`,
      username: this.options.username,
      password: this.options.password,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
    });
    this.client = client;
    client.on('message', (topic, payload) => this.answer(topic, payload));
    client.on('error', (error) => this.log.warn({ err: error.message }, 'dynamic-security connection error'));
    // Clean session: subscribe again on every reconnect (start() does the first and checks it).
    let first = true;
    client.on('connect', () => {
      if (!first) void client.subscribeAsync(DYNSEC_RESPONSE_TOPIC, { qos: 1 }).catch(() => undefined);
      first = false;
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const deadline = startDeadline(15_000, () => reject(new Error('no answer within 15 s')));
        client.once('connect', () => (deadline.clear(), resolve()));
        client.once('error', (error) => (deadline.clear(), reject(error)));
      });
      const granted = await client.subscribeAsync(DYNSEC_RESPONSE_TOPIC, { qos: 1 });
      if (granted.some((grant) => grant.qos === 128)) throw new Error(`subscription to ${DYNSEC_RESPONSE_TOPIC} refused: give the api's role subscribeLiteral and publishClientReceive on it`);
    } catch (error) {
      await this.stop();
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`MQTT_BROKER_ADMIN=dynsec: could not reach dynamic security at ${redactUrl(this.options.url)} as ${this.options.username}: ${why} (deploy/mosquitto/README.md)`, { cause: error });
    }
  }

  async stop(): Promise<void> {
    for (const [id, pending] of this.pending) {
      pending.deadline.clear();
      pending.reject(new Error('dynamic-security client stopped'));
      this.pending.delete(id);
    }
    await this.client?.endAsync(true);
    this.client = undefined;
  }

  /** Sends commands in one message; resolves with their answers in order (errors included, not thrown). */
  async send(commands: DynsecCommand[]): Promise<DynsecResponse[]> {
    const client = this.client;
    if (!client?.connected) throw new Error('not connected to the broker for dynamic security');
    const id = randomBytes(8).toString('hex');
    // Every command carries the id; the plugin echoes it, which ties the response to this call.
    const tagged = commands.map((command) => ({ ...command, correlationData: id }));
    const answered = new Promise<DynsecResponse[]>((resolve, reject) => {
      const timeoutMs = this.options.timeoutMs ?? 10_000;
      const deadline = startDeadline(timeoutMs, () => {
        this.pending.delete(id);
        reject(new Error(`no dynamic-security response within ${timeoutMs} ms (may ${this.options.username} publish to ${DYNSEC_TOPIC}?)`));
      });
      this.pending.set(id, { resolve, reject, deadline });
    });
    await client.publishAsync(DYNSEC_TOPIC, JSON.stringify({ commands: tagged }), { qos: 1 });
    return answered;
  }

  /** `send`, throwing the first error other than those `tolerated` (e.g. "already exists"). */
  async run(commands: DynsecCommand[], tolerated: RegExp = /$^/): Promise<DynsecResponse[]> {
    const responses = await this.send(commands);
    const failed = responses.find((response) => response.error !== undefined && !tolerated.test(response.error));
    if (failed) throw new DynsecError(failed.command, failed.error ?? '');
    return responses;
  }

  private answer(topic: string, payload: Buffer): void {
    if (topic !== DYNSEC_RESPONSE_TOPIC) return;
    let responses: DynsecResponse[];
    try {
      const parsed = JSON.parse(payload.toString('utf8')) as { responses?: unknown };
      if (!Array.isArray(parsed.responses)) throw new Error('no responses array');
      responses = parsed.responses as DynsecResponse[];
    } catch (error) {
      this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'unreadable dynamic-security response dropped');
      return;
    }
    const id = responses[0]?.correlationData;
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (!pending || id === undefined) return;
    this.pending.delete(id);
    pending.deadline.clear();
    pending.resolve(responses);
  }
}
