/**
 * The api's broker link with load shedding in front of the status ingest (heartbeat-shedder.ts):
 * while the api is overloaded, heartbeats that repeat a lock's known state are dropped as they
 * arrive, before their signatures are checked. The same for every broker: the embedded one runs
 * in its own process (devices/broker/broker-process.ts), so it answers keepalives and routes
 * messages however busy the api is; what the api can save is its own work on them.
 */
import type { LockLink } from '../devices/broker/lock-link.js';
import type { HeartbeatShedder } from './heartbeat-shedder.js';

export function sheddingLink(link: LockLink, shedder: HeartbeatShedder): LockLink {
  return {
    start: () => link.start(),
    stop: () => link.stop(),
    publish: (topic, payload, options) => link.publish(topic, payload, options),
    isConnected: () => link.isConnected(),
    onMessage(handler) {
      link.onMessage((message) => {
        if (!shedder.shed(message.topic, message.payload)) handler(message);
      });
    },
  };
}
