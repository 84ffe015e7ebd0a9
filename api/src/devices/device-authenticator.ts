import { timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/ports.js';
import { needsProvisioning } from '../store/records.js';
import type { DeviceAuthenticator } from './broker/lock-link.js';
import type { DeviceKeys } from './device-keys.js';
import { mqttPasswordV2 } from './protocol/keys.js';
import { mqttPassword } from './protocol/signature.js';

/**
 * Broker login for locks: the v1 password hex(HMAC-SHA256(K, "SLMQTT1")) or the
 * v2 one, hex of the HKDF `mqtt` key (docs/protocol.md §11.1). Both come from K,
 * and the login happens before any negotiation, so either is accepted for any
 * lock. Both are compared, in constant time, whichever matches; during an
 * over-the-air rotation, those of both secrets.
 */
export class StoreDeviceAuthenticator implements DeviceAuthenticator {
  constructor(
    private readonly store: Store,
    private readonly keys: DeviceKeys,
  ) {}

  async verifyDevicePassword(deviceId: string, password: Buffer): Promise<boolean> {
    const lock = await this.store.locks.findByDeviceId(deviceId);
    if (!lock || needsProvisioning(lock)) return false;
    const matches = (expected: Buffer) => password.length === expected.length && timingSafeEqual(password, expected);
    // While an over-the-air rotation runs, the other secret logs in too (docs/protocol.md §13.3).
    const secrets = [lock.secretSealed, lock.secretPendingSealed, lock.secretPreviousSealed].filter((sealed) => sealed !== null);
    let found = false;
    for (const sealed of secrets) {
      const secret = sealed === lock.secretSealed ? this.keys.open(deviceId, sealed) : this.keys.openUncached(deviceId, sealed);
      const [isV1, isV2] = [matches(Buffer.from(mqttPassword(secret), 'utf8')), matches(Buffer.from(mqttPasswordV2(secret), 'utf8'))];
      found ||= isV1 || isV2;
    }
    return found;
  }
}
