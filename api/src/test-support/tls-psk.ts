/** mqtt.js client options for a lock on the embedded broker's TLS-PSK listener (docs/protocol.md §12). */
import type { ConnectionOptions, PSKCallbackNegotation } from 'node:tls';
import type { IClientOptions } from 'mqtt';
import { PSK_CIPHERS } from '../devices/broker/tls-psk-listener.js';
import { deriveKey } from '../devices/protocol/keys.js';

/** The lock's TLS key: HKDF(K, "tls-psk"). */
export const tlsPskOf = (deviceSecret: string): Buffer => deriveKey(Buffer.from(deviceSecret, 'hex'), 'tls-psk');

/** mqtt.js hands these to tls.connect: TLS 1.2, the PSK suites, `identity` with `psk`. */
export function pskClientOptions(identity: string, psk: Buffer): IClientOptions & ConnectionOptions {
  return {
    ciphers: PSK_CIPHERS.join(':'),
    maxVersion: 'TLSv1.2',
    // No certificate with PSK: nothing to check a host name against.
    checkServerIdentity: () => undefined,
    pskCallback: (): PSKCallbackNegotation => ({ identity, psk }),
  };
}
