/**
 * ws writes every message with its own `writev` (a system call each). A fleet dashboard gets one
 * message per change of any lock (1,000/s), and an api that fell behind sends a socket's queued
 * events one after the other: one write each, for seconds, before it reads MQTT again. Here the
 * socket stays corked until the end of the current turn of the event loop, so everything sent to it
 * meanwhile leaves in one write. A message is never held longer than that turn; a socket that gets
 * one message per turn (a per-lock feed) costs one cork and one setImmediate more per message.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

export function coalesceSends(ws: WebSocket, socket: Duplex): void {
  const send = ws.send.bind(ws) as (...args: unknown[]) => void;
  let corked = false;
  const flush = () => {
    corked = false;
    socket.uncork();
  };
  ws.send = ((...args: unknown[]) => {
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      setImmediate(flush);
    }
    send(...args);
  }) as WebSocket['send'];
}
