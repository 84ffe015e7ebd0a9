/** Whether a TCP service (Redis, Mosquitto) answers, so tests that need it can skip outside CI. */
import { connect } from 'node:net';

export function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
