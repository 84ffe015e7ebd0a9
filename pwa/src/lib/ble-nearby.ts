/**
 * One offline operation over Web Bluetooth: choose the lock (the browser's chooser, filtered by the
 * service UUID), connect, read a fresh challenge, check it comes from the key's lock, write the
 * signed request, and take the result from a notification (or a read when none comes). Needs no
 * network. Only the GATT calls below are used, so a test can stand in for the lock.
 */
import { BLE_CHALLENGE, BLE_REQUEST, BLE_RESULT, BLE_SERVICE, parseChallenge, parseResult, signedRequest, type BleOp, type OfflineKey } from './ble-messages';
import type { NearbyOutcome } from './ble-verdicts';

/** The part of Web Bluetooth used here (TypeScript's DOM library has none). */
export interface BluetoothLike {
  requestDevice(options: { filters: { services: string[] }[] }): Promise<BleDeviceLike>;
}

export interface BleDeviceLike {
  name?: string | undefined;
  gatt?: BleServerLike | undefined;
}

export interface BleServerLike {
  connected: boolean;
  connect(): Promise<BleServerLike>;
  disconnect(): void;
  getPrimaryService(uuid: string): Promise<BleServiceLike>;
}

export interface BleServiceLike {
  getCharacteristic(uuid: string): Promise<BleCharacteristicLike>;
}

export interface BleCharacteristicLike {
  value?: DataView | null | undefined;
  readValue(): Promise<DataView>;
  writeValueWithResponse?(value: BufferSource): Promise<void>;
  writeValue(value: BufferSource): Promise<void>;
  startNotifications(): Promise<BleCharacteristicLike>;
  addEventListener(type: 'characteristicvaluechanged', listener: () => void): void;
  removeEventListener(type: 'characteristicvaluechanged', listener: () => void): void;
}

/** `navigator.bluetooth` where the browser has Web Bluetooth (not iOS, not Firefox), else null. */
export function webBluetooth(): BluetoothLike | null {
  const candidate = (globalThis.navigator as (Navigator & { bluetooth?: BluetoothLike }) | undefined)?.bluetooth;
  return candidate && typeof candidate.requestDevice === 'function' ? candidate : null;
}

const decoder = new TextDecoder();
const text = (view: DataView) => decoder.decode(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));

/** How long to wait for the result's notification before reading it. @default 5000 */
const RESULT_WAIT_MS = 5000;

/** Resolves true on the characteristic's next notification, false after `waitMs` or `stop()`. */
function nextNotification(characteristic: BleCharacteristicLike, waitMs: number): { arrived: Promise<boolean>; stop: () => void } {
  let stop: () => void = () => undefined;
  const arrived = new Promise<boolean>((resolve) => {
    const finish = (notified: boolean) => {
      clearTimeout(timer);
      characteristic.removeEventListener('characteristicvaluechanged', onChange);
      resolve(notified);
    };
    const onChange = () => finish(true);
    const timer = setTimeout(() => finish(false), waitMs);
    characteristic.addEventListener('characteristicvaluechanged', onChange);
    stop = () => finish(false);
  });
  return { arrived, stop };
}

function describe(error: unknown): string {
  return error instanceof Error && error.message ? error.message : String(error);
}

/** Runs `op` on the nearby lock with `key`; never throws (every failure is an outcome). */
export async function operateNearby(bluetooth: BluetoothLike, key: OfflineKey, op: BleOp, resultWaitMs = RESULT_WAIT_MS): Promise<NearbyOutcome> {
  let device: BleDeviceLike;
  try {
    device = await bluetooth.requestDevice({ filters: [{ services: [BLE_SERVICE] }] });
  } catch (error) {
    // NotFoundError: the chooser was closed (or nothing found); SecurityError: not allowed here.
    if (error instanceof Error && error.name === 'NotFoundError') return { kind: 'cancelled' };
    return { kind: 'unreachable', detail: describe(error) };
  }
  const gatt = device.gatt;
  if (!gatt) return { kind: 'unreachable', detail: 'no GATT server' };
  try {
    const server = await gatt.connect();
    const service = await server.getPrimaryService(BLE_SERVICE);
    const [challengeChar, requestChar, resultChar] = await Promise.all([
      service.getCharacteristic(BLE_CHALLENGE),
      service.getCharacteristic(BLE_REQUEST),
      service.getCharacteristic(BLE_RESULT),
    ]);
    await resultChar.startNotifications();
    const challenge = parseChallenge(text(await challengeChar.readValue()));
    if (!challenge) return { kind: 'garbled' };
    if (challenge.dev !== key.dev) return { kind: 'wrong-lock', dev: challenge.dev };

    const notified = nextNotification(resultChar, resultWaitMs);
    const request = new TextEncoder().encode(await signedRequest(key, op, challenge.n));
    try {
      await (requestChar.writeValueWithResponse ? requestChar.writeValueWithResponse(request) : requestChar.writeValue(request));
    } catch (error) {
      notified.stop();
      throw error;
    }
    const value = (await notified.arrived) && resultChar.value ? resultChar.value : await resultChar.readValue();
    const result = await parseResult(text(value), key);
    if (!result || result.dev !== key.dev || result.n !== challenge.n) return { kind: 'garbled' };
    if (result.result === 'rejected') return { kind: 'rejected', reason: result.reason ?? 'unknown' };
    return result.signed ? { kind: 'ok', op, status: result.status } : { kind: 'unconfirmed' };
  } catch (error) {
    return { kind: 'unreachable', detail: describe(error) };
  } finally {
    if (gatt.connected) gatt.disconnect();
  }
}
