/**
 * Drops a lock's QoS 0 PUBLISH as soon as aedes has parsed it, before
 * authorization, routing, forwarding and the api's own parsing — the cheapest
 * point at which an in-process broker can shed load. This is what keeps a
 * flooding lock's keepalive alive: aedes reads a client's next batch only
 * when the previous one is handled, so heartbeats that are slow to handle
 * leave the lock's PINGREQ waiting in the socket until the lock gives up.
 *
 * It hooks aedes internals (`client._parser`'s 'packet' listener and
 * `client._keepaliveTimer`, aedes 1.2.0): if they are missing, it does
 * nothing and shedding still happens later, at forwarding.
 */
import type { Client } from 'aedes';

/** About 100 statuses waiting in one lock's socket; a healthy lock sends one every few seconds. */
export const BACKLOG_READ_BYTES = 32 * 1024;

interface ParsedPublish {
  cmd: string;
  qos?: number;
  topic?: string;
  payload?: unknown;
}

interface AedesClientInternals {
  _parser?: {
    parse?: (buf: Buffer) => unknown; listeners(event: 'packet'): ((this: unknown, packet: ParsedPublish) => void)[]; removeAllListeners(event: 'packet'): void; on(event: 'packet', listener: (this: unknown, packet: ParsedPublish) => void): void };
  _keepaliveTimer?: { refresh(): void } | null;
  connected?: boolean;
}

/**
 * Installs the filter on one client (call from `preConnect`). `drop` is asked
 * only for QoS 0 PUBLISH packets of a connected client; returns whether it was installed.
 */
export function installEarlyShed(client: Client, drop: (topic: string, payload: Buffer) => boolean, onBacklog?: (bytes: number) => void): boolean {
  const internals = client as unknown as AedesClientInternals;
  const parser = internals._parser;
  const listeners = parser?.listeners('packet');
  const enqueue = listeners?.[0];
  const parse = parser?.parse;
  if (!parser || listeners?.length !== 1 || !enqueue || typeof parse !== 'function') return false;
  // aedes reads everything a socket holds at once: a big read means the client's data waited,
  // i.e. the broker is behind (event-loop lag misses this when the process is simply short of CPU).
  parser.parse = function (buf: Buffer) {
    if (onBacklog && buf.length > BACKLOG_READ_BYTES) onBacklog(buf.length);
    return parse.call(this, buf);
  };
  parser.removeAllListeners('packet');
  parser.on('packet', function (this: unknown, packet: ParsedPublish) {
    if (packet.cmd === 'publish' && packet.qos === 0 && internals.connected && typeof packet.topic === 'string' && Buffer.isBuffer(packet.payload) && drop(packet.topic, packet.payload)) {
      // The lock did send something: a shed heartbeat must count for the broker's keepalive
      // exactly as a handled one does (aedes refreshes it per handled packet).
      internals._keepaliveTimer?.refresh();
      return;
    }
    enqueue.call(this, packet);
  });
  return true;
}
