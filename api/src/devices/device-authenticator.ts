import { timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/ports.js';
import type { DeviceAuthenticator } from './broker/lock-link.js';
import type { DeviceKeys } from './device-keys.js';
import { mqttPassword } from './protocol/signature.js';

/**
 * Broker login for locks: the v1 password hex(HMAC-SHA256(K, "SLMQTT1")) or the
 * v2 one, hex of the HKDF `mqtt` key (docs/protocol.md §11.1). Both come from K,
 * and the login happens before any negotiation, so either is accepted for any
 * lock. Both are compared, in constant time, whichever matches.
 */
export class StoreDeviceAuthenticator implements DeviceAuthenticator {
  constructor(
    private readonly store: Store,
    private readonly keys: DeviceKeys,
  ) {}

  async verifyDevicePassword(deviceId: string, password: Buffer): Promise<boolean> {
    const lock = await this.store.locks.findByDeviceId(deviceId);
    if (!lock) return false;
    const v1 = Buffer.from(mqttPassword(this.keys.open(deviceId, lock.secretSealed)), 'utf8');
    const v2 = Buffer.from(this.keys.purpose(deviceId, lock.secretSealed, 'mqtt').toString('hex'), 'utf8');
    const matches = (expected: Buffer) => password.length === expected.length && timingSafeEqual(password, expected);
    const [isV1, isV2] = [matches(v1), matches(v2)];
    return isV1 || isV2;
  }
}
