/**
 * Improv Wi-Fi over Web Serial (Chrome/Edge `navigator.serial`): the app sends a lock its
 * provisioning file (Smartlock's vendor RPC 0xF0) and a Wi-Fi network over USB, exactly as
 * `npm run provision` does (api/src/cli/improv.ts; bytes in docs/provisioning.md, "Improv Wi-Fi over
 * serial"; the lock's side is firmware/src/core/improv.cpp). Both encoders are checked against the
 * same worked examples of that page.
 */
import type { ProvisioningDocument } from './provisioning';

const MAGIC = [0x49, 0x4d, 0x50, 0x52, 0x4f, 0x56]; // "IMPROV"
const HEADER_LEN = 9;
export const TYPE = { CurrentState: 0x01, ErrorState: 0x02, Rpc: 0x03, RpcResult: 0x04 } as const;
export const COMMAND = { WifiSettings: 0x01, GetDeviceInfo: 0x03, SetLockProvisioning: 0xf0 } as const;
const PROVISIONED = 0x04;

export interface Packet {
  type: number;
  data: Uint8Array;
}

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum += b;
  return sum & 0xff;
}

export function encodePacket(type: number, data: Uint8Array): Uint8Array {
  if (data.length > 255) throw new Error('Improv packet too long');
  const out = new Uint8Array(HEADER_LEN + data.length + 1);
  out.set(MAGIC, 0);
  out.set([1, type, data.length], 6);
  out.set(data, HEADER_LEN);
  out[out.length - 1] = checksum(out.subarray(0, out.length - 1));
  return out;
}

function encodeStrings(strings: readonly string[]): Uint8Array {
  const parts = strings.map((s) => new TextEncoder().encode(s));
  const out = new Uint8Array(parts.reduce((n, p) => n + 1 + p.length, 0));
  let at = 0;
  for (const p of parts) {
    if (p.length > 255) throw new Error('Improv string too long');
    out[at++] = p.length;
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function decodeStrings(data: Uint8Array): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < data.length) {
    const n = data[at++]!;
    out.push(new TextDecoder().decode(data.subarray(at, at + n)));
    at += n;
  }
  return out;
}

export function rpcPacket(command: number, args: Uint8Array = new Uint8Array(0)): Uint8Array {
  const data = new Uint8Array(2 + args.length);
  data.set([command, args.length]);
  data.set(args, 2);
  return encodePacket(TYPE.Rpc, data);
}

export function setLockProvisioningPacket(doc: ProvisioningDocument): Uint8Array {
  const b = doc.broker;
  if (b.port === null && b.tlsPort === null) throw new Error('The lock has no WebSocket transport: the broker needs a port for it.');
  return rpcPacket(
    COMMAND.SetLockProvisioning,
    encodeStrings([doc.deviceId, doc.secret, b.host, b.tlsPort === null ? '' : String(b.tlsPort), b.port === null ? '' : String(b.port), b.tls ?? '', doc.topicPrefix]),
  );
}

export function wifiSettingsPacket(ssid: string, password: string): Uint8Array {
  const s = new TextEncoder().encode(ssid).length;
  if (s < 1 || s > 32) throw new Error('The network name must be 1 to 32 bytes.');
  if (new TextEncoder().encode(password).length > 64) throw new Error('The Wi-Fi password must be at most 64 bytes.');
  if (/[\0\r\n]/.test(ssid + password)) throw new Error('The network name and password cannot contain line breaks.');
  return rpcPacket(COMMAND.WifiSettings, encodeStrings([ssid, password]));
}

/** Packets out of a byte stream that also carries the lock's log lines. */
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
      while (at < this.buf.length && !MAGIC.every((m, i) => at + i >= this.buf.length || this.buf[at + i] === m)) at++;
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

const ERRORS: Record<number, string> = {
  1: 'the lock refused a value (invalid RPC packet)',
  2: 'the lock does not know this command (is it Smartlock firmware?)',
  3: 'the lock could not join that Wi-Fi network',
  255: 'the lock could not store the settings',
};

type Answer = { ok: true; strings: string[] } | { ok: false; error: number };

function answerTo(command: number) {
  return (p: Packet): Answer | undefined => {
    if (p.type === TYPE.ErrorState && p.data[0] !== 0) return { ok: false, error: p.data[0] ?? 255 };
    if (p.type === TYPE.RpcResult && p.data[0] === command) return { ok: true, strings: decodeStrings(p.data.subarray(2)) };
    return undefined;
  };
}

/** The two streams of an open serial port (Web Serial's SerialPort has both). */
export interface ByteStreams {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
}

/**
 * Sends the provisioning document, then the Wi-Fi network, and waits for "provisioned". Calls
 * `progress` with a sentence per step; throws an Error whose message says what went wrong.
 */
export async function provisionOverSerial(
  port: ByteStreams,
  doc: ProvisioningDocument,
  wifi: { ssid: string; password: string },
  progress: (text: string) => void,
  timeoutMs = 60_000,
): Promise<void> {
  const vendor = setLockProvisioningPacket(doc);
  const wifiPacket = wifiSettingsPacket(wifi.ssid, wifi.password);
  const reader = port.readable.getReader();
  const writer = port.writable.getWriter();
  const parser = new PacketParser();
  const queue: Packet[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        queue.push(...parser.push(value));
        wake?.();
      }
    } catch {
      // the port was closed or cancelled
    }
    ended = true;
    wake?.();
  })();
  const deadline = Date.now() + timeoutMs;
  const next = async <T,>(pick: (p: Packet) => T | undefined, waitMs: number): Promise<T | undefined> => {
    const until = Math.min(deadline, Date.now() + waitMs);
    for (;;) {
      while (queue.length > 0) {
        const v = pick(queue.shift()!);
        if (v !== undefined) return v;
      }
      const left = until - Date.now();
      if (left <= 0 || ended) return undefined;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
    }
  };
  const ask = async (packet: Uint8Array, command: number, everyMs: number): Promise<Answer | undefined> => {
    let answer: Answer | undefined;
    while (answer === undefined && Date.now() < deadline && !ended) {
      await writer.write(packet);
      answer = await next(answerTo(command), everyMs);
    }
    return answer;
  };
  try {
    progress('Waiting for the lock…');
    const info = await ask(rpcPacket(COMMAND.GetDeviceInfo), COMMAND.GetDeviceInfo, 1000);
    if (info === undefined) throw new Error('The lock did not answer. Is it Smartlock firmware on this port?');
    if (!info.ok) throw new Error(`The lock answered with an error: ${ERRORS[info.error] ?? info.error}.`);
    progress('Sending the lock its settings…');
    const stored = await ask(vendor, COMMAND.SetLockProvisioning, 3000);
    if (stored === undefined) throw new Error('The lock did not confirm its settings.');
    if (!stored.ok) throw new Error(`The lock refused its settings: ${ERRORS[stored.error] ?? stored.error}.`);
    progress(`Joining “${wifi.ssid}”…`);
    await writer.write(wifiPacket);
    const joined = await next((p): Answer | undefined => {
      if (p.type === TYPE.CurrentState && p.data[0] === PROVISIONED) return { ok: true, strings: [] };
      const a = answerTo(COMMAND.WifiSettings)(p);
      return a?.ok === false ? a : undefined;
    }, timeoutMs);
    if (joined === undefined) throw new Error('The lock did not join the network in time.');
    if (!joined.ok) throw new Error(`Wi-Fi: ${ERRORS[joined.error] ?? joined.error}.`);
    progress(`Provisioned: the lock joined “${wifi.ssid}” and restarts with its settings.`);
  } finally {
    await reader.cancel().catch(() => {});
    await pump;
    reader.releaseLock();
    writer.releaseLock();
  }
}

/** Web Serial's SerialPort, as much of it as the app uses. */
export interface SerialPortLike extends Partial<ByteStreams> {
  open(options: { baudRate: number }): Promise<void>;
  close(): Promise<void>;
}
