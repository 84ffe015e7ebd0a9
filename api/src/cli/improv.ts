/**
 * `npm run provision`'s side of Improv Wi-Fi over serial (docs/provisioning.md, "Improv Wi-Fi over
 * serial"): reading the provisioning file, and the exchange of ../provisioning/improv-protocol.ts over
 * any pair of Node byte streams (a tty opened as a file, a child's pipes), worded for a terminal.
 */
import type { Readable, Writable } from 'node:stream';
import { ImprovError, ImprovFailure, PacketQueue, runImprovExchange, type ImprovProgress } from '../provisioning/improv-protocol.js';

export {
  Command,
  encodePacket,
  ImprovError,
  ImprovState,
  PacketParser,
  PacketType,
  rpcPacket,
  setLockProvisioningPacket,
  wifiSettingsPacket,
} from '../provisioning/improv-protocol.js';

/** The members of the provisioning file (docs/provisioning.md) that the lock needs. */
export interface ProvisioningFile {
  deviceId: string;
  secret: string;
  broker: { host: string; port: number | null; tlsPort: number | null; tls: 'psk' | 'certificate' | null; webSocketUrl: string | null };
  topicPrefix: string;
  protocolVersion: number;
}

const DEVICE_ID = /^[A-Za-z0-9_-]{3,64}$/;
const SECRET = /^[0-9a-f]{64}$/;

function port(value: unknown, name: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name}: a port 1-65535 or null`);
  return value;
}

/** Reads a provisioning file's text, refusing it with a message naming the member (docs/provisioning.md, "Reading it"). */
export function parseProvisioningFile(text: string): ProvisioningFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('not JSON');
  }
  if (typeof raw !== 'object' || raw === null) throw new Error('not a JSON object');
  const f = raw as Record<string, unknown>;
  if (f.format !== 'smartlock-provisioning') throw new Error('format: not "smartlock-provisioning"');
  if (f.version !== 1) throw new Error(`version: ${JSON.stringify(f.version)} is not a version this tool knows (1)`);
  if (typeof f.deviceId !== 'string' || !DEVICE_ID.test(f.deviceId)) throw new Error('deviceId: must match ^[A-Za-z0-9_-]{3,64}$');
  if (typeof f.secret !== 'string' || !SECRET.test(f.secret)) throw new Error('secret: must be 64 lowercase hex digits');
  const b = f.broker;
  if (typeof b !== 'object' || b === null) throw new Error('broker: missing');
  const broker = b as Record<string, unknown>;
  if (typeof broker.host !== 'string' || broker.host === '') throw new Error('broker.host: empty');
  if (!/^[A-Za-z0-9.\-_:[\]]{1,80}$/.test(broker.host)) throw new Error('broker.host: at most 80 characters of A-Z a-z 0-9 . - _ : [ ]');
  const plain = port(broker.port, 'broker.port');
  const tlsPort = port(broker.tlsPort, 'broker.tlsPort');
  const tls = broker.tls ?? null;
  if (tls !== null && tls !== 'psk' && tls !== 'certificate') throw new Error('broker.tls: "psk", "certificate" or null');
  if ((tls === null) !== (tlsPort === null)) throw new Error('broker.tls: set exactly when broker.tlsPort is');
  const ws = broker.webSocketUrl ?? null;
  if (ws !== null && typeof ws !== 'string') throw new Error('broker.webSocketUrl: a string or null');
  if (plain === null && tlsPort === null && ws === null) throw new Error('broker: none of port, tlsPort and webSocketUrl');
  if (plain === null && tlsPort === null) throw new Error('broker: the lock has no WebSocket transport; it needs port or tlsPort');
  if (typeof f.topicPrefix !== 'string' || !/^[^+#/]+(\/[^+#/]+)*$/.test(f.topicPrefix) || f.topicPrefix.length > 64) {
    throw new Error('topicPrefix: 1-64 characters, no MQTT wildcards, no empty levels');
  }
  const protocolVersion = typeof f.protocolVersion === 'number' ? f.protocolVersion : 1;
  return { deviceId: f.deviceId, secret: f.secret, broker: { host: broker.host, port: plain, tlsPort, tls, webSocketUrl: ws }, topicPrefix: f.topicPrefix, protocolVersion };
}

const ERROR_TEXT: Record<number, string> = {
  [ImprovError.InvalidRpc]: 'invalid RPC packet (the lock refused a field)',
  [ImprovError.UnknownRpc]: 'unknown RPC command (is this Smartlock firmware?)',
  [ImprovError.UnableToConnect]: 'unable to connect to the Wi-Fi network',
  [ImprovError.Unknown]: 'unknown error (the lock could not store the settings?)',
};

export function errorText(code: number): string {
  return ERROR_TEXT[code] ?? `error 0x${code.toString(16).padStart(2, '0')}`;
}

export interface ProvisionResult {
  deviceInfo: string[];
}

const NO_ANSWER: Record<ImprovFailure['step'], string> = {
  'device-info': 'no Improv answer from the lock (wrong port, baud rate, or not Smartlock firmware?)',
  'lock-provisioning': 'timed out waiting for the lock to store its provisioning',
  wifi: 'timed out waiting for the lock to join the Wi-Fi network',
};
const REFUSED: Record<ImprovFailure['step'], string> = {
  'device-info': 'device info',
  'lock-provisioning': 'lock provisioning refused',
  wifi: 'Wi-Fi settings',
};

/**
 * Sends the lock its provisioning file and Wi-Fi network (runImprovExchange) and waits for
 * "provisioned". Throws with a readable message on any refusal or timeout.
 */
export async function provisionLock(
  file: ProvisioningFile,
  wifi: { ssid: string; password: string },
  io: { input: Readable; output: Writable },
  options: { timeoutMs?: number; log?: (line: string) => void } = {},
): Promise<ProvisionResult> {
  const log = options.log ?? (() => {});
  const packets = new PacketQueue();
  io.input.on('data', (chunk: Buffer) => packets.push(chunk));
  io.input.on('end', () => packets.end());
  const progress = (p: ImprovProgress) => {
    if (p.step === 'device-info') log(`lock: ${p.strings.join(' / ')}`);
    else if (p.step === 'stored') log(`lock: stored device ${file.deviceId} and broker ${file.broker.host}`);
    else if (p.step === 'joining') log(`lock: connecting to Wi-Fi "${wifi.ssid}"`);
  };
  try {
    return await runImprovExchange({ send: (bytes) => void io.output.write(bytes), packets }, file, wifi, { timeoutMs: options.timeoutMs ?? 60_000, progress });
  } catch (e) {
    if (!(e instanceof ImprovFailure)) throw e;
    throw new Error(e.errorCode === undefined ? NO_ANSWER[e.step] : `${REFUSED[e.step]}: ${errorText(e.errorCode)}`, { cause: e });
  }
}
