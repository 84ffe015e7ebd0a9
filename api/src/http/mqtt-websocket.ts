/**
 * MQTT over WebSockets at /mqtt on the api's own port (MQTT_WEBSOCKETS=true), for hosts that
 * expose only HTTPS: whatever serves the app on 443 (and already passes WebSocket upgrades for
 * /graphql) serves the locks too, at `wss://<host>/mqtt`, subprotocol `mqtt`.
 *
 * The api does not speak MQTT here: it relays the bytes to the broker's own listener, which
 * authenticates and authorizes them exactly as a lock connecting directly (embedded broker: its
 * loopback relay listener, told whether the lock came over https; external broker: MQTT_URL). In
 * production a WebSocket that did not arrive over https (the api's own TLS, or a trusted proxy's
 * X-Forwarded-Proto with TRUST_PROXY) is refused before the upgrade: it would carry the lock's
 * password in clear text. Outside production (a LAN, tests) plain `ws://` is allowed and counts
 * as plain for the lock's transport rule.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { createWebSocketStream, WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../app/logger.js';

export const MQTT_WEBSOCKET_PATH = '/mqtt';

/** MQTT packets of this protocol are well under 4 KB; this leaves room for any broker client. */
const MAX_FRAME_BYTES = 256 * 1024;

export interface MqttWebSocketOptions {
  /** A new connection to the broker's listener (app/messaging.ts). */
  openRelayed: (overHttps: boolean) => Socket;
  /** Refuse upgrades that did not arrive over https. */
  httpsOnly: boolean;
  proxyHops: number;
  log: Logger;
}

export interface MqttWebSocket {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  stop(): void;
}

/** Whether the request reached the api's edge over TLS: its own socket, or a trusted proxy's word. */
export function arrivedOverHttps(req: IncomingMessage, proxyHops: number): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted) return true;
  if (proxyHops <= 0) return false;
  const header = req.headers['x-forwarded-proto'];
  // As Express reads it: the first value, set by the proxy at the edge.
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

export function createMqttWebSocket(options: MqttWebSocketOptions): MqttWebSocket {
  const log = options.log.child({ component: 'mqtt-websocket' });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    // MQTT 3.1.1 §6: the subprotocol is "mqtt" ("mqttv3.1" for 3.1 clients).
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false),
  });

  function relay(ws: WebSocket, overHttps: boolean): void {
    const upstream = options.openRelayed(overHttps);
    const downstream = createWebSocketStream(ws);
    const end = () => {
      upstream.destroy();
      downstream.destroy();
    };
    upstream.on('error', (error) => log.debug({ err: error.message }, 'relay: broker connection failed'));
    downstream.on('error', (error) => log.debug({ err: error.message }, 'relay: websocket failed'));
    upstream.once('close', end);
    downstream.once('close', end);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
  }

  return {
    handleUpgrade(req, socket, head) {
      const overHttps = arrivedOverHttps(req, options.proxyHops);
      if (options.httpsOnly && !overHttps) {
        log.warn('refused MQTT over WebSockets without https (a lock password would cross in clear text)');
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nMQTT over WebSockets needs https\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => relay(ws, overHttps));
    },
    stop() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
