// Child process of dashboards.mjs: a share of the dashboards, one graphql-ws client (one socket)
// each, holding one lockChanged subscription: the admins' all-locks feed or an owner's per-lock
// feed. Each event is matched to the change it shows (lock from deviceId, change k from rssi, see
// dashboards-publisher.mjs) and its arrival time kept; once the parent hands over the send times,
// the child reports latencies, misses, and anything it should not have seen.
import { require } from './lib.mjs';

const { createClient } = require('graphql-ws');
const { WebSocket } = require('ws');

const QUERY = 'subscription Dashboard($d: ID) { lockChanged(deviceId: $d) { deviceId name status state online rssi battery lastSeen } }';
const send = (message) => process.send?.(message);
const now = () => performance.timeOrigin + performance.now();

let N = 0;
/** CPU used since the feeds were open: whether the dashboards themselves kept up. */
let cpuAtOpen = process.cpuUsage();
/** { client, deviceIndex (or -1 for all locks), allowed(index), next[] expected k per lock, arrivals: [i, t] pairs, foreign } */
let feeds = [];
const errors = [];

const indexOf = (deviceId) => Number(deviceId.slice('dash-'.length));

function onEvent(feed, lock) {
  const t = now();
  // A lock declared offline (none should be: each changes every few seconds) is not a change to match.
  if (lock.state !== 'AVAILABLE') {
    feed.offline += 1;
    return;
  }
  const L = indexOf(lock.deviceId);
  if (!feed.allowed(L)) {
    feed.foreign += 1; // someone else's lock: must never happen
    return;
  }
  // Which change this is: the smallest k >= the next expected one with k % 200 == -rssi.
  const r = -lock.rssi;
  const expected = feed.next[feed.deviceIndex === -1 ? L : 0];
  const k = expected + ((r - (expected % 200) + 200) % 200);
  if ((k % 2 === 0) !== (lock.status === 'UNLOCKED')) {
    feed.inconsistent += 1;
    return;
  }
  feed.next[feed.deviceIndex === -1 ? L : 0] = k + 1;
  feed.arrivals.push(k * N + L, t);
}

async function open({ wsUrl, subscriptions, locks, firstK }) {
  N = locks;
  for (let s = 0; s < subscriptions.length; s += 100) {
    await Promise.all(
      subscriptions.slice(s, s + 100).map(
        (sub) =>
          new Promise((resolve) => {
            const feed = {
              deviceIndex: sub.deviceIndex,
              allowed: sub.deviceIndex === -1 ? () => true : (L) => L === sub.deviceIndex,
              next: new Array(sub.deviceIndex === -1 ? N : 1).fill(firstK),
              arrivals: [],
              foreign: 0,
              inconsistent: 0,
              offline: 0,
              closed: false,
            };
            feed.client = createClient({
              url: wsUrl,
              webSocketImpl: WebSocket,
              connectionParams: { authorization: `Bearer ${sub.token}` },
              lazy: false,
              retryAttempts: 0,
              // Not console.error for each of thousands of sockets: counted like the other errors.
              onNonLazyError: (e) => errors.push(`socket: ${e?.code ?? (e instanceof Error ? e.message : e)}`),
              on: { connected: () => resolve(), closed: () => ((feed.closed = true), resolve()) },
            });
            feed.client.subscribe(
              { query: QUERY, variables: { d: sub.deviceIndex === -1 ? null : `dash-${String(sub.deviceIndex).padStart(5, '0')}` } },
              {
                next: ({ data, errors: e }) => (e ? errors.push(e[0]?.message) : data?.lockChanged && onEvent(feed, data.lockChanged)),
                error: (e) => errors.push(e instanceof Error ? e.message : `closed ${e?.code ?? ''} ${e?.reason ?? ''}`),
                complete: () => undefined,
              },
            );
            feeds.push(feed);
          }),
      ),
    );
  }
  cpuAtOpen = process.cpuUsage();
  send({ type: 'opened', count: feeds.length, closed: feeds.filter((f) => f.closed).length, errors: errors.slice(0, 5) });
}

/** How many feeds have seen every lock they follow change at least `k + 1` times. */
function progress({ k }) {
  const caughtUp = feeds.filter((f) => f.next.every((next) => next > k)).length;
  send({ type: 'progress', caughtUp, total: feeds.length });
}

/**
 * Latencies of the changes from..to-1 (send times given), deliveries, misses (a change a feed
 * should have got and did not), and events the feed should never have had.
 */
function judge({ from, sentAt }) {
  const to = from + sentAt.length;
  const latencies = [];
  /** The per-lock feeds' alone: the all-locks feeds get 1,000 events/s each and dominate the whole. */
  const perLockLatencies = [];
  let offline = 0;
  let delivered = 0;
  let missed = 0;
  let foreign = 0;
  let inconsistent = 0;
  for (const feed of feeds) {
    const got = new Set();
    for (let j = 0; j < feed.arrivals.length; j += 2) {
      const i = feed.arrivals[j];
      if (i < from || i >= to) continue;
      const sent = sentAt[i - from];
      if (sent < 0) continue;
      got.add(i);
      delivered += 1;
      const latency = Math.round((feed.arrivals[j + 1] - sent) * 100) / 100;
      latencies.push(latency);
      if (feed.deviceIndex !== -1) perLockLatencies.push(latency);
    }
    // The changes this feed follows: all of them, or every N-th (its lock's).
    const first = feed.deviceIndex === -1 ? from : from + ((feed.deviceIndex - (from % N) + N) % N);
    const step = feed.deviceIndex === -1 ? 1 : N;
    for (let i = first; i < to; i += step) if (sentAt[i - from] >= 0 && !got.has(i)) missed += 1;
    foreign += feed.foreign;
    inconsistent += feed.inconsistent;
    offline += feed.offline;
    feed.arrivals = [];
  }
  const cpu = process.cpuUsage(cpuAtOpen);
  send({ type: 'judged', cpuMicros: cpu.user + cpu.system, latencies, perLockLatencies, offline, delivered, missed, foreign, inconsistent, closed: feeds.filter((f) => f.closed).length, errors: errors.slice(0, 5) });
}

async function close() {
  await Promise.all(feeds.map((f) => f.client.dispose()));
  feeds = [];
  send({ type: 'closed' });
}

process.on('message', (message) => {
  void (async () => {
    try {
      if (message.type === 'open') await open(message);
      else if (message.type === 'progress') progress(message);
      else if (message.type === 'judge') judge(message);
      else if (message.type === 'close') await close();
    } catch (error) {
      send({ type: 'error', message: error instanceof Error ? error.stack : String(error) });
      process.exit(1);
    }
  })();
});
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(2), 30 * 60_000).unref();
