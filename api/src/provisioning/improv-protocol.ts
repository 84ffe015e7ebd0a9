/**
 * Improv Wi-Fi over serial plus Smartlock's vendor RPC 0xF0, the client side (docs/provisioning.md,
 * "Improv Wi-Fi over serial"; the lock's side is firmware/src/core/improv.{h,cpp}): the packets and
 * the three-step exchange. Written once for both clients, `npm run provision` (api/src/cli/improv.ts,
 * Node streams) and the app's Web Serial (pwa/src/lib/improv.ts): plain Uint8Array and no imports,
 * so the app can bundle it. Each client words the failures itself (ImprovFailure.step says which).
 */

export const PacketType = { CurrentState: 0x01, ErrorState: 0x02, Rpc: 0x03, RpcResult: 0x04 } as const;
export const Command = { WifiSettings: 0x01, GetState: 0x02, GetDeviceInfo: 0x03, GetNetworks: 0x04, SetLockProvisioning: 0xf0 } as const;
export const ImprovState = { Ready: 0x02, Provisioning: 0x03, Provisioned: 0x04 } as const;
export const ImprovError = { None: 0x00, InvalidRpc: 0x01, UnknownRpc: 0x02, UnableToConnect: 0x03, Unknown: 0xff } as const;

const MAGIC = [0x49, 0x4d, 0x50, 0x52, 0x4f, 0x56]; // "IMPROV"
const HEADER_LEN = 9;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export interface Packet {
  type: number;
  data: Uint8Array;
}

export function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum += b;
  return sum & 0xff;
}

export function encodePacket(type: number, data: Uint8Array): Uint8Array {
  if (data.length > 255) throw new Error(`Improv packet data is ${data.length} bytes, at most 255`);
  const out = new Uint8Array(HEADER_LEN + data.length + 1);
  out.set(MAGIC, 0);
  out.set([1, type, data.length], 6);
  out.set(data, HEADER_LEN);
  out[out.length - 1] = checksum(out.subarray(0, out.length - 1));
  return out;
}

/** `[len][bytes]` for each string (UTF-8). */
export function encodeStrings(strings: readonly string[]): Uint8Array {
  const parts = strings.map((s) => utf8.encode(s));
  const out = new Uint8Array(parts.reduce((n, p) => n + 1 + p.length, 0));
  let at = 0;
  for (const p of parts) {
    if (p.length > 255) throw new Error(`a string of ${p.length} bytes does not fit an Improv string`);
    out[at++] = p.length;
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function decodeStrings(data: Uint8Array): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < data.length) {
    const n = data[at++]!;
    if (at + n > data.length) throw new Error('Improv string runs past the end');
    out.push(fromUtf8.decode(data.subarray(at, at + n)));
    at += n;
  }
  return out;
}

export function rpcPacket(command: number, args: Uint8Array = new Uint8Array(0)): Uint8Array {
  const data = new Uint8Array(2 + args.length);
  data.set([command, args.length]);
  data.set(args, 2);
  return encodePacket(PacketType.Rpc, data);
}

/** What the vendor RPC carries: the members of a provisioning file (docs/provisioning.md) the lock needs. */
export interface LockProvisioningFields {
  deviceId: string;
  secret: string;
  broker: { host: string; port: number | null; tlsPort: number | null; tls: string | null };
  topicPrefix: string;
}

/** The vendor RPC 0xF0 "set lock provisioning": 7 strings (docs/provisioning.md). */
export function setLockProvisioningPacket(p: LockProvisioningFields): Uint8Array {
  const b = p.broker;
  if (b.port === null && b.tlsPort === null) throw new Error('The lock has no WebSocket transport: the broker needs a port or a TLS port for it.');
  const text = [p.deviceId, p.secret, b.host, b.tlsPort === null ? '' : String(b.tlsPort), b.port === null ? '' : String(b.port), b.tls ?? '', p.topicPrefix];
  return rpcPacket(Command.SetLockProvisioning, encodeStrings(text));
}

export function wifiSettingsPacket(ssid: string, password: string): Uint8Array {
  const ssidBytes = utf8.encode(ssid).length;
  if (ssidBytes < 1 || ssidBytes > 32) throw new Error('The Wi-Fi network name (ssid) must be 1 to 32 bytes.');
  if (utf8.encode(password).length > 64) throw new Error('The Wi-Fi password must be at most 64 bytes.');
  if (/[\0\r\n]/.test(ssid + password)) throw new Error('The Wi-Fi network name and password cannot contain NUL or line breaks.');
  return rpcPacket(Command.WifiSettings, encodeStrings([ssid, password]));
}

const startsWithMagicAt = (buf: Uint8Array, at: number) => MAGIC.every((m, i) => at + i >= buf.length || buf[at + i] === m);

/** Collects packets out of a byte stream that also carries the lock's log lines; resynchronises on "IMPROV". */
export class PacketParser {
  private buf = new Uint8Array(0);

  push(chunk: Uint8Array): Packet[] {
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf);
    joined.set(chunk, this.buf.length);
    this.buf = joined;
    const out: Packet[] = [];
    for (;;) {
      let at = 0;
      while (at < this.buf.length && !startsWithMagicAt(this.buf, at)) at++;
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
      out.push({ type, data: this.buf.slice(HEADER_LEN, total - 1) });
      this.buf = this.buf.subarray(total);
    }
  }
}

/** Packets as they arrive (push), and a way to wait for the next one a caller is after (next). */
export class PacketQueue {
  private readonly parser = new PacketParser();
  private readonly queue: Packet[] = [];
  private wake: (() => void) | undefined;
  private ended = false;

  push(chunk: Uint8Array): void {
    this.queue.push(...this.parser.push(chunk));
    this.wake?.();
  }

  /** The stream ended: waits end at once. */
  end(): void {
    this.ended = true;
    this.wake?.();
  }

  get isEnded(): boolean {
    return this.ended;
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

/** Which step of the exchange failed, and the lock's Improv error code when it gave one. */
export type ImprovStep = 'device-info' | 'lock-provisioning' | 'wifi';

export class ImprovFailure extends Error {
  constructor(
    readonly step: ImprovStep,
    /** The lock's error code, or undefined when it did not answer in time. */
    readonly errorCode: number | undefined,
  ) {
    super(errorCode === undefined ? `${step}: no answer in time` : `${step}: error 0x${errorCode.toString(16).padStart(2, '0')}`);
    this.name = 'ImprovFailure';
  }
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

export type ImprovProgress = { step: 'waiting' } | { step: 'device-info'; strings: string[] } | { step: 'stored' } | { step: 'joining' };

/**
 * Asks for the device info (repeating once a second while the board boots: opening a serial port
 * resets most ESP32 devkits), sends the vendor RPC (repeated every 3 s: storing the same values twice
 * is harmless), then the Wi-Fi settings, and waits for "provisioned". Both packets are built before
 * anything is sent, so bad input is refused before talking. Throws ImprovFailure.
 */
export async function runImprovExchange(
  link: { send(bytes: Uint8Array): void | Promise<void>; packets: PacketQueue },
  provisioning: LockProvisioningFields,
  wifi: { ssid: string; password: string },
  options: { timeoutMs: number; progress?: (p: ImprovProgress) => void },
): Promise<{ deviceInfo: string[] }> {
  const vendorPacket = setLockProvisioningPacket(provisioning);
  const wifiPacket = wifiSettingsPacket(wifi.ssid, wifi.password);
  const progress = options.progress ?? (() => {});
  const deadline = Date.now() + options.timeoutMs;
  const ask = async (packet: Uint8Array, command: number, everyMs: number): Promise<Answer | undefined> => {
    let answer: Answer | undefined;
    while (answer === undefined && Date.now() < deadline && !link.packets.isEnded) {
      await link.send(packet);
      answer = await link.packets.next(answerTo(command), Math.min(everyMs, deadline - Date.now()));
    }
    return answer;
  };

  progress({ step: 'waiting' });
  const info = await ask(rpcPacket(Command.GetDeviceInfo), Command.GetDeviceInfo, 1000);
  if (info === undefined || !info.ok) throw new ImprovFailure('device-info', info?.ok === false ? info.error : undefined);
  progress({ step: 'device-info', strings: info.strings });

  const stored = await ask(vendorPacket, Command.SetLockProvisioning, 3000);
  if (stored === undefined || !stored.ok) throw new ImprovFailure('lock-provisioning', stored?.ok === false ? stored.error : undefined);
  progress({ step: 'stored' });

  await link.send(wifiPacket);
  progress({ step: 'joining' });
  const joined = await link.packets.next((p): Answer | undefined => {
    if (p.type === PacketType.CurrentState && p.data[0] === ImprovState.Provisioned) return { ok: true, strings: [] };
    const a = answerTo(Command.WifiSettings)(p);
    return a?.ok === false ? a : undefined;
  }, Math.max(0, deadline - Date.now()));
  if (joined === undefined || !joined.ok) throw new ImprovFailure('wifi', joined?.ok === false ? joined.error : undefined);
  return { deviceInfo: info.strings };
}
