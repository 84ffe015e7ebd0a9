/**
 * A lock's Bluetooth side for tests, written from the design (docs/protocol.md, BLE; issue 16 item
 * 10) with node's crypto, independently of the app's code: it issues keys as the api does
 * (s = HMAC(key("ble"), C)), serves the GATT service, and checks requests in the lock's order, so a
 * wrong signature, an expired key or a replayed nonce is refused as the firmware refuses it.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { BleCharacteristicLike, BleDeviceLike, BleServerLike, BluetoothLike } from '../lib/ble-nearby';

export const SERVICE = '011d9a56-712b-4fb3-8c53-227cafb83176';
const CHALLENGE = '3ca6911f-0df8-4095-b4d9-1eb1faaec813';
const REQUEST = '4fac3ed9-466d-4436-ac93-eeeaf7877db5';
const RESULT = 'e6d740e2-e475-42d7-9326-d1625bf8fc7a';

export const bleKey = (deviceSecret: Buffer) => Buffer.from(hkdfSync('sha256', deviceSecret, 'smartlock', 'smartlock v2 ble', 32));
const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();

export interface IssuedKey {
  capability: string;
  secret: string;
  kid: string;
}

/** C and hex(s) as the api issues them. */
export function issueKey(deviceSecret: Buffer, c: { dev: string; uid: string; act: string; nb: number; na: number; kid?: string }): IssuedKey {
  const kid = c.kid ?? randomBytes(8).toString('hex');
  const capability = `{"v":3,"type":"blekey","dev":"${c.dev}","kid":"${kid}","uid":"${c.uid}","act":"${c.act}","nb":${c.nb},"na":${c.na}}`;
  return { capability, secret: hmac(bleKey(deviceSecret), capability).toString('hex'), kid };
}

export interface FakeBleLockOptions {
  deviceId: string;
  deviceSecret: Buffer;
  /** The lock's clock in unix seconds; null: it has not heard the server since power-up. */
  clock?: () => number | null;
  /** Called after each challenge read (another phone reading in between, for instance). */
  onChallengeRead?: (lock: FakeBleLock) => void;
  /** An impostor: answers "ok" without a signature and moves nothing. */
  impostor?: boolean;
}

class FakeCharacteristic implements BleCharacteristicLike {
  value: DataView | undefined;
  notifying = false;
  private readonly listeners = new Set<() => void>();
  constructor(private readonly handlers: { read?: () => string; write?: (text: string) => void }) {}
  readValue(): Promise<DataView> {
    if (this.handlers.read) this.set(this.handlers.read());
    return this.value ? Promise.resolve(this.value) : Promise.reject(new Error('nothing to read'));
  }
  writeValueWithResponse(value: BufferSource): Promise<void> {
    return this.writeValue(value);
  }
  writeValue(value: BufferSource): Promise<void> {
    if (!this.handlers.write) return Promise.reject(new Error('not writable'));
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    this.handlers.write(new TextDecoder().decode(bytes));
    return Promise.resolve();
  }
  startNotifications(): Promise<BleCharacteristicLike> {
    this.notifying = true;
    return Promise.resolve(this);
  }
  addEventListener(_type: 'characteristicvaluechanged', listener: () => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'characteristicvaluechanged', listener: () => void): void {
    this.listeners.delete(listener);
  }
  set(text: string): void {
    const bytes = new TextEncoder().encode(text);
    this.value = new DataView(bytes.buffer);
  }
  notify(text: string): void {
    this.set(text);
    if (this.notifying) for (const listener of [...this.listeners]) listener();
  }
}

const B_SHAPE = ['v', 'type', 'dev', 'kid', 'uid', 'act', 'nb', 'na', 'op', 'n'];

export class FakeBleLock {
  status = 'LOCKED';
  revokedKids: string[] = [];
  revokedBefore = 0;
  /** Offline uses the lock would report in its next statuses: "<kid>.<L|U>.<unix s>". */
  readonly uses: string[] = [];
  readonly written: string[] = [];
  private nonce: { n: string; at: number } | null = null;
  private readonly challenge = new FakeCharacteristic({ read: () => this.readChallenge() });
  private readonly request = new FakeCharacteristic({ write: (text) => this.handle(text) });
  private readonly result = new FakeCharacteristic({});
  private connected = false;

  constructor(private readonly options: FakeBleLockOptions) {}

  /** `navigator.bluetooth` with this lock as the one the person picks in the chooser. */
  bluetooth(): BluetoothLike & { requested: unknown[] } {
    const requested: unknown[] = [];
    return { requested, requestDevice: (filters) => (requested.push(filters), Promise.resolve(this.device())) };
  }

  device(): BleDeviceLike {
    const characteristics: Record<string, FakeCharacteristic> = { [CHALLENGE]: this.challenge, [REQUEST]: this.request, [RESULT]: this.result };
    const isConnected = () => this.connected;
    const server: BleServerLike = {
      get connected() {
        return isConnected();
      },
      connect: () => ((this.connected = true), Promise.resolve(server)),
      disconnect: () => void (this.connected = false),
      getPrimaryService: (uuid) =>
        uuid === SERVICE
          ? Promise.resolve({ getCharacteristic: (id: string) => (characteristics[id] ? Promise.resolve(characteristics[id]) : Promise.reject(new Error(`no ${id}`))) })
          : Promise.reject(new Error('NotFoundError: no such service')),
    };
    return { name: `Smartlock ${this.options.deviceId.slice(0, 8)}`, gatt: server };
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** What a read of `challenge` answers (each read replaces the outstanding nonce). */
  readChallenge(): string {
    this.nonce = { n: randomBytes(16).toString('hex'), at: Date.now() };
    const text = `{"v":3,"type":"blechal","dev":"${this.options.deviceId}","n":"${this.nonce.n}","t":${this.now() ?? 0}}`;
    queueMicrotask(() => this.options.onChallengeRead?.(this));
    return text;
  }

  /** Handles a written request as the lock does, notifying the result; also returns it. */
  handle(text: string): string {
    this.written.push(text);
    const answer = this.verdict(text);
    const r = `{"v":3,"type":"bleres","dev":"${this.options.deviceId}","n":"${answer.n}","result":"${answer.reason ? 'rejected' : 'ok'}"${answer.reason ? `,"reason":"${answer.reason}"` : ''},"status":"${this.status}"}`;
    const signed = answer.s ? `${r.slice(0, -1)},"sig":"${hmac(answer.s, r).toString('hex')}"}` : r;
    this.result.notify(signed);
    return signed;
  }

  private now(): number | null {
    return this.options.clock ? this.options.clock() : Math.floor(Date.now() / 1000);
  }

  private verdict(text: string): { n: string; reason: string | null; s?: Buffer } {
    const sigAt = text.lastIndexOf(',"sig":"');
    const body = sigAt > 0 ? `${text.slice(0, sigAt)}}` : '';
    const sig = sigAt > 0 ? text.slice(sigAt + 8, -2) : '';
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return { n: '', reason: 'malformed' };
    }
    const n = typeof o.n === 'string' ? o.n : '';
    // An impostor knows no key: it says "ok" to anything, unsigned.
    if (this.options.impostor) return { n, reason: null };
    const rebuilt = `{"v":3,"type":"bleop","dev":"${String(o.dev)}","kid":"${String(o.kid)}","uid":"${String(o.uid)}","act":"${String(o.act)}","nb":${Number(o.nb)},"na":${Number(o.na)},"op":"${String(o.op)}","n":"${n}"}`;
    if (text.length > 400 || Object.keys(o).join() !== B_SHAPE.join() || rebuilt !== body || !/^[0-9a-f]{64}$/.test(sig)) return { n, reason: 'malformed' };
    if (o.dev !== this.options.deviceId) return { n, reason: 'wrong_device' };
    const outstanding = this.nonce;
    this.nonce = null;
    if (!outstanding || outstanding.n !== n || Date.now() - outstanding.at > 30_000) return { n, reason: 'bad_nonce' };
    const c = `{"v":3,"type":"blekey","dev":"${String(o.dev)}","kid":"${String(o.kid)}","uid":"${String(o.uid)}","act":"${String(o.act)}","nb":${Number(o.nb)},"na":${Number(o.na)}}`;
    const s = hmac(bleKey(this.options.deviceSecret), c);
    if (!timingSafeEqual(hmac(s, body), Buffer.from(sig, 'hex'))) return { n, reason: 'bad_signature' };
    const nb = Number(o.nb);
    const na = Number(o.na);
    if (!(nb < na) || na - nb > 43_200) return { n, reason: 'malformed', s };
    const now = this.now();
    if (now === null) return { n, reason: 'no_clock', s };
    if (now < nb - 60) return { n, reason: 'not_yet', s };
    if (now >= na) return { n, reason: 'expired', s };
    if (this.revokedKids.includes(String(o.kid)) || nb < this.revokedBefore) return { n, reason: 'revoked', s };
    const op = o.op === 'LOCK' ? 'L' : 'U';
    if (!String(o.act).includes(op)) return { n, reason: 'not_allowed', s };
    this.status = op === 'L' ? 'LOCKED' : 'UNLOCKED';
    this.uses.push(`${String(o.kid)}.${op}.${now}`);
    return { n, reason: null, s };
  }
}
