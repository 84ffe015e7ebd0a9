import { timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/ports.js';
import type { DeviceAuthenticator } from './broker/lock-link.js';
import type { DeviceKeys } from './device-keys.js';
import { mqttPassword } from './protocol/signature.js';

/** Broker login for locks: password = hex(HMAC-SHA256(K, "SLMQTT1")), compared in constant time. */
export class StoreDeviceAuthenticator implements DeviceAuthenticator {
  constructor(
    private readonly store: Store,
    private readonly keys: DeviceKeys,
  ) {}

  async verifyDevicePassword(deviceId: string, password: Buffer): Promise<boolean> {
    const lock = await this.store.locks.findByDeviceId(deviceId);
    if (!lock) return false;
    const expected = Buffer.from(mqttPassword(this.keys.open(deviceId, lock.secretSealed)), 'utf8');
    return password.length === expected.length && timingSafeEqual(password, expected);
  }
}
