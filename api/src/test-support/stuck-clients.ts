/**
 * Clients that never finish a goodbye, as phones that went to sleep or half-dead
 * networks do: a server must not wait for them to shut down.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

function opened(port: number, host: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/**
 * A graphql-ws socket that completes the upgrade and then stops reading: it
 * never answers the server's close frame nor its FIN.
 */
export async function frozenWebSocket(url: string): Promise<Socket> {
  const { hostname, port, pathname } = new URL(url);
  const socket = await opened(Number(port), hostname);
  socket.on('error', () => undefined); // destroyed by the server: expected
  socket.write(
    [
      `GET ${pathname} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Protocol: graphql-transport-ws',
      '',
      '',
    ].join('\r\n'),
  );
  await new Promise<void>((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
  });
  socket.pause();
  return socket;
}

/** A TCP connection to an MQTT port that never sends CONNECT. */
export async function silentTcpClient(brokerUrl: string): Promise<Socket> {
  const { hostname, port } = new URL(brokerUrl);
  const socket = await opened(Number(port), hostname);
  socket.on('error', () => undefined);
  socket.pause();
  return socket;
}
