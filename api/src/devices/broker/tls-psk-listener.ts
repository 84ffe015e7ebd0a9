/**
 * The embedded broker's TLS listener (docs/protocol.md §12): TLS 1.2 with a pre-shared key per
 * lock, the protocol v2 purpose key `tls-psk` derived from its secret K, the PSK identity being the
 * device id. No certificates: nothing to issue, no host names, no expiry, and a lock at home with
 * no trusted clock still authenticates the broker (only a holder of K can finish the handshake).
 *
 * TLS 1.2 only: Node's `pskCallback` serves TLS 1.2 PSK suites (TLS 1.3 external PSKs are not
 * offered through it), and TLS 1.2 PSK is what mbedTLS on the ESP32 and libmosquitto offer too.
 */
import type { Socket } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { Logger } from '../../app/logger.js';
import { DEVICE_ID_PATTERN } from '../protocol/limits.js';

/**
 * In order of preference: forward secrecy first (ECDHE-PSK: a K stolen later does not decrypt
 * recorded sessions), then plain PSK with AES-GCM for locks whose TLS stack has no ECDHE-PSK suite.
 */
export const PSK_CIPHERS = ['ECDHE-PSK-CHACHA20-POLY1305', 'ECDHE-PSK-AES128-CBC-SHA256', 'PSK-AES128-GCM-SHA256'] as const;

/** Sent in the handshake; a lock may use it to pick its identity (ours has only one). */
export const PSK_IDENTITY_HINT = 'smartlock';

export function createPskServer(
  psk: (deviceId: string) => Buffer | undefined,
  identities: WeakMap<object, string>,
  onConnection: (socket: Socket) => void,
  log: Logger,
  onRefused?: () => void,
): Server {
  const server = createServer(
    {
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      ciphers: PSK_CIPHERS.join(':'),
      pskIdentityHint: PSK_IDENTITY_HINT,
      // Synchronous, mid-handshake: the keys come from memory (psk-directory.ts). null fails the handshake.
      pskCallback(socket: TLSSocket, identity: string) {
        const key = DEVICE_ID_PATTERN.test(identity) ? psk(identity) : undefined;
        if (!key) return null;
        identities.set(socket, identity);
        return key;
      },
      // No hanging handshakes: a lock finishes one in well under a second.
      handshakeTimeout: 10_000,
      // As on the plain listener: small MQTT packets must not wait for delayed ACKs (Nagle).
      noDelay: true,
    },
    onConnection,
  );
  // A wrong key or an unknown identity ends that handshake; the listener carries on.
  server.on('tlsClientError', (error: Error & { code?: string }) => {
    log.warn({ code: error.code }, 'refused TLS handshake (unknown identity, wrong key, or not TLS-PSK)');
    onRefused?.();
  });
  return server;
}
