import type { ProtocolVersion } from '../../store/records.js';
import { usesPurposeKeys } from '../protocol/versions.js';
import { deriveKey, mqttPasswordV2 } from '../protocol/keys.js';
import { mqttPassword } from '../protocol/signature.js';
import type { LockAccount } from './broker-accounts.js';

/**
 * The password a broker that holds one per lock (Mosquitto's dynamic security) keeps for a lock
 * stored as speaking `version` (docs/protocol.md §11.1): v1's `HMAC(K, "SLMQTT1")` until the lock
 * is welcomed into v2 or v3, then v2's HKDF-derived one (v3 keeps it), so K keys nothing for such a lock.
 */
export function brokerPassword(secret: Buffer, version: ProtocolVersion): string {
  return usesPurposeKeys(version) ? mqttPasswordV2(secret) : mqttPassword(secret);
}

/** What every broker needs to know of a lock with secret K, stored as speaking `version`. */
export function lockAccount(deviceId: string, secret: Buffer, version: ProtocolVersion): LockAccount {
  return { deviceId, password: brokerPassword(secret, version), tlsPsk: deriveKey(secret, 'tls-psk') };
}
