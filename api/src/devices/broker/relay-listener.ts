/**
 * The embedded broker's loopback listener for MQTT connections the api relays from WebSockets
 * (http/mqtt-websocket.ts). Each starts with one line the api writes before the lock's bytes:
 *
 *     SLRELAY1 <token> <https|http>\n
 *
 * The token is the api's per-start secret (only the api can relay), and `https` says the lock
 * reached the api's public edge over TLS, which counts as TLS for the lock's transport rule
 * (devices/lock-transport.ts) as the TLS-PSK listener does.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../app/logger.js';
import { sameSecret } from './broker-access.js';

const MAGIC = 'SLRELAY1';
/** The line is ~80 bytes; more without a newline is not the api. */
const MAX_PREAMBLE_BYTES = 256;
const PREAMBLE_TIMEOUT_MS = 5_000;

export function relayPreamble(token: string, overHttps: boolean): string {
  return `${MAGIC} ${token} ${overHttps ? 'https' : 'http'}\n`;
}

/** The api's side: a connection to the relay listener, preamble written; the lock's bytes follow. */
export function connectToRelay(port: number, token: string, overHttps: boolean): Socket {
  const socket = createConnection({ host: '127.0.0.1', port, noDelay: true });
  socket.write(relayPreamble(token, overHttps));
  return socket;
}

export function createRelayServer(token: string, onConnection: (socket: Socket, overHttps: boolean) => void, log: Logger): Server {
  return createServer({ noDelay: true }, (socket) => {
    let buffered = Buffer.alloc(0);
    const refuse = (why: string) => {
      log.warn({ why }, 'refused a relayed connection');
      socket.destroy();
    };
    const timer = setTimeout(() => refuse('no preamble in time'), PREAMBLE_TIMEOUT_MS);
    socket.on('error', () => undefined);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf(0x0a);
      if (end < 0) {
        if (buffered.length > MAX_PREAMBLE_BYTES) refuse('preamble too long');
        return;
      }
      socket.off('data', onData);
      socket.pause();
      clearTimeout(timer);
      const [magic, offered, scheme, ...rest] = buffered.subarray(0, end).toString('latin1').split(' ');
      if (magic !== MAGIC || rest.length > 0 || !sameSecret(offered, token) || (scheme !== 'https' && scheme !== 'http')) return refuse('bad preamble');
      // What came after the line is the lock's first MQTT bytes.
      if (buffered.length > end + 1) socket.unshift(buffered.subarray(end + 1));
      onConnection(socket, scheme === 'https');
    };
    socket.on('data', onData);
    socket.once('close', () => clearTimeout(timer));
  });
}
