/**
 * The client side of Improv Wi-Fi over serial plus Smartlock's vendor RPC 0xF0 (docs/provisioning.md,
 * "Improv Wi-Fi over serial"; the lock's side is firmware/src/core/improv.{h,cpp}). No serial-port
 * dependency: it talks to any pair of byte streams (a tty opened as a file, a child's pipes).
 */
import type { Readable, Writable } from 'node:stream';

export const PacketType = { CurrentState: 0x01, ErrorState: 0x02, Rpc: 0x03, RpcResult: 0x04 } as const;
export const Command = { WifiSettings: 0x01, GetState: 0x02, GetDeviceInfo: 0x03, GetNetworks: 0x04, SetLockProvisioning: 0xf0 } as const;
export const ImprovState = { Ready: 0x02, Provisioning: 0x03, Provisioned: 0x04 } as const;
export const ImprovError = { None: 0x00, InvalidRpc: 0x01, UnknownRpc: 0x02, UnableToConnect: 0x03, Unknown: 0xff } as const;

const MAGIC = Buffer.from('IMPROV', 'latin1');
const HEADER_LEN = 9;

export interface Packet {
  type: number;
  data: Buffer;
}

export function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum += b;
  return sum & 0xff;
}

export function encodePacket(type: number, data: Uint8Array): Buffer {
  if (data.length > 255) throw new Error(`Improv packet data is ${data.length} bytes, at most 255`);
  const head = Buffer.concat([MAGIC, Buffer.from([1, type, data.length]), data]);
  return Buffer.concat([head, Buffer.from([checksum(head)])]);
}

/** `[len][bytes]` for each string (UTF-8). */
export function encodeStrings(strings: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const s of strings) {
    const b = Buffer.from(s, 'utf8');
    if (b.length > 255) throw new Error(`string of ${b.length} bytes does not fit an Improv string`);
    parts.push(Buffer.from([b.length]), b);
  }
  return Buffer.concat(parts);
}

export function decodeStrings(data: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < data.length) {
    const n = data[at++]!;
    if (at + n > data.length) throw new Error('Improv string runs past the end');
    out.push(data.subarray(at, at + n).toString('utf8'));
    at += n;
  }
  return out;
}

export function rpcPacket(command: number, args: Uint8Array = Buffer.alloc(0)): Buffer {
  return encodePacket(PacketType.Rpc, Buffer.concat([Buffer.from([command, args.length]), args]));
}

/** Collects packets out of a byte stream that may also carry log lines; resynchronises on "IMPROV". */
export class PacketParser {
  private buf = Buffer.alloc(0);

  push(chunk: Uint8Array): Packet[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: Packet[] = [];
    for (;;) {
      const at = this.buf.indexOf(MAGIC);
      if (at < 0) {
        this.buf = this.buf.subarray(Math.max(0, this.buf.length - (MAGIC.length - 1))); // a header may be split
        return out;
      }
      this.buf = this.buf.subarray(at);
      if (this.buf.length < HEADER_LEN) return out;
      const type = this.buf[7]!;
      if (this.buf[6] !== 1 || type < 1 || type > 4) {
        this.buf = this.buf.subarray(1);
        continue;
      }
      const total = HEADER_LEN + this.buf[8]! + 1;
      if (this.buf.length < total) return out;
      if (checksum(this.buf.subarray(0, total - 1)) !== this.buf[total - 1]) {
        this.buf = this.buf.subarray(1);
        continue;
      }
      out.push({ type, data: Buffer.from(this.buf.subarray(HEADER_LEN, total - 1)) });
      this.buf = this.buf.subarray(total);
    }
  }
}

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

/** The vendor RPC 0xF0 "set lock provisioning": 7 strings (docs/provisioning.md). */
export function setLockProvisioningPacket(p: ProvisioningFile): Buffer {
  const b = p.broker;
  return rpcPacket(
    Command.SetLockProvisioning,
    encodeStrings([p.deviceId, p.secret, b.host, b.tlsPort === null ? '' : String(b.tlsPort), b.port === null ? '' : String(b.port), b.tls ?? '', p.topicPrefix]),
  );
}

export function wifiSettingsPacket(ssid: string, password: string): Buffer {
  if (Buffer.byteLength(ssid) < 1 || Buffer.byteLength(ssid) > 32) throw new Error('ssid: 1-32 bytes');
  if (Buffer.byteLength(password) > 64) throw new Error('password: at most 64 bytes');
  if (/[\0\r\n]/.test(ssid + password)) throw new Error('ssid and password: no NUL, CR or LF');
  return rpcPacket(Command.WifiSettings, encodeStrings([ssid, password]));
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

/** Reads packets off a stream and lets the caller wait for the next one that matches. */
class Conversation {
  private readonly parser = new PacketParser();
  private readonly queue: Packet[] = [];
  private wake: (() => void) | undefined;
  private ended = false;

  constructor(
    input: Readable,
    private readonly output: Writable,
  ) {
    input.on('data', (chunk: Buffer) => {
      this.queue.push(...this.parser.push(chunk));
      this.wake?.();
    });
    input.on('end', () => {
      this.ended = true;
      this.wake?.();
    });
  }

  send(packet: Buffer): void {
    this.output.write(packet);
  }

  /** The next packet (discarding others) for which `pick` returns a value; undefined on timeout or end. */
  async next<T>(pick: (p: Packet) => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.queue.length > 0) {
        const v = pick(this.queue.shift()!);
        if (v !== undefined) return v;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.ended) return undefined;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}

export interface ProvisionResult {
  deviceInfo: string[];
}

type Answer = { ok: true; strings: string[] } | { ok: false; error: number };

/** An RPC's answer: its RPC result, or a non-zero error state. */
function answerTo(command: number) {
  return (p: Packet): Answer | undefined => {
    if (p.type === PacketType.ErrorState && p.data.length === 1 && p.data[0] !== ImprovError.None) return { ok: false, error: p.data[0]! };
    if (p.type === PacketType.RpcResult && p.data[0] === command) return { ok: true, strings: decodeStrings(p.data.subarray(2)) };
    return undefined;
  };
}

/**
 * Asks for the device info (repeating once a second while the board boots: opening a serial port
 * resets most ESP32 devkits), sends the vendor RPC, then the Wi-Fi settings, and waits for
 * "provisioned". Throws with a readable message on any refusal or timeout.
 */
export async function provisionLock(
  file: ProvisioningFile,
  wifi: { ssid: string; password: string },
  io: { input: Readable; output: Writable },
  options: { timeoutMs?: number; log?: (line: string) => void } = {},
): Promise<ProvisionResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const log = options.log ?? (() => {});
  const wifiPacket = wifiSettingsPacket(wifi.ssid, wifi.password); // refuse bad input before talking
  const c = new Conversation(io.input, io.output);
  const deadline = Date.now() + timeoutMs;

  let info: Answer | undefined;
  while (info === undefined && Date.now() < deadline) {
    c.send(rpcPacket(Command.GetDeviceInfo));
    info = await c.next(answerTo(Command.GetDeviceInfo), Math.min(1000, deadline - Date.now()));
  }
  if (info === undefined) throw new Error('no Improv answer from the lock (wrong port, baud rate, or not Smartlock firmware?)');
  if (!info.ok) throw new Error(`device info: ${errorText(info.error)}`);
  log(`lock: ${info.strings.join(' / ')}`);

  // Storing the same values twice is harmless: repeat every 3 s in case the lock missed the packet.
  let prov: Answer | undefined;
  while (prov === undefined && Date.now() < deadline) {
    c.send(setLockProvisioningPacket(file));
    prov = await c.next(answerTo(Command.SetLockProvisioning), Math.min(3000, deadline - Date.now()));
  }
  if (prov === undefined) throw new Error('timed out waiting for the lock to store its provisioning');
  if (!prov.ok) throw new Error(`lock provisioning refused: ${errorText(prov.error)}`);
  log(`lock: stored device ${file.deviceId} and broker ${file.broker.host}`);

  c.send(wifiPacket);
  log(`lock: connecting to Wi-Fi "${wifi.ssid}"`);
  const done = await c.next((p): Answer | undefined => {
    if (p.type === PacketType.CurrentState && p.data[0] === ImprovState.Provisioned) return { ok: true, strings: [] };
    const a = answerTo(Command.WifiSettings)(p);
    return a?.ok === false ? a : undefined;
  }, deadline - Date.now());
  if (done === undefined) throw new Error('timed out waiting for the lock to join the Wi-Fi network');
  if (!done.ok) throw new Error(`Wi-Fi settings: ${errorText(done.error)}`);
  return { deviceInfo: info.strings };
}
