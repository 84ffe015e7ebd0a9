// The synchronous steps a signed heartbeat of a known lock takes in the api (status-ingest.ts,
// `tryHeartbeat`), each timed alone in a loop over the compiled modules: where the CPU per
// heartbeat of `ingest.mjs` goes, without a broker, sockets or the machine's other work.
// Baseline in the same run: the HMAC alone (createHmac over the same bytes), the floor of any
// verification.
//   npm run build:api && node bench/heartbeat-path.mjs [--iterations 300000]
import { createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';
import { api, printMachine } from './lib.mjs';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '300000' } } });
const iterations = Number(values.iterations);

const { Topics } = api('devices/protocol/topics.js');
const { decodePayload, verifyStatus } = api('devices/protocol/verify.js');
const { openEnvelope, signPayload } = api('devices/protocol/signature.js');
const { isCompactUniqueJson } = api('devices/protocol/strict-json.js');
const { checkStatus } = api('devices/protocol/status-validator.js');
const { statusJson } = api('devices/protocol/messages.js');
const { patchFromStatus, isVisibleChange } = api('devices/status-changes.js');
const { LockCache } = api('devices/lock-cache.js');
const { verifyFromLockV2 } = api('devices/protocol/verify-v2.js');
const { statusV2Json } = api('devices/protocol/messages-v2.js');
const { deriveKey } = api('devices/protocol/keys.js');

const key = Buffer.alloc(32, 7);
const deviceId = 'bench-lock-0042';
const topics = new Topics('smartlock');
const topic = topics.of(deviceId, 'status');
/** A few hundred distinct payloads, as a fleet sends (same shape, different numbers). */
const payloads = Array.from({ length: 512 }, (_, i) =>
  Buffer.from(
    signPayload(
      key,
      statusJson({ v: 1, type: 'status', dev: deviceId, boot: 1, seq: i + 2, status: 'LOCKED', ctr: 0, ts: 1_790_000_000 + i, uptime: i, rssi: -50 - (i % 10), battery: 90, power: 'BATTERY', issue: '', fw: 'bench-1.0.0' }),
    ),
  ),
);
const texts = payloads.map((p) => p.toString('utf8'));
/** The same heartbeats as a v3 lock sends them (the firmware's protocol after its hello), under the `status` key. */
const statusKey = deriveKey(key, 'status');
const textsV3 = Array.from({ length: 512 }, (_, i) =>
  signPayload(
    statusKey,
    statusV2Json({ v: 3, type: 'status', dev: deviceId, boot: 1, seq: i + 2, status: 'LOCKED', door: 'CLOSED', src: 'MANUAL', ctr: 0, ts: 1_790_000_000 + i, uptime: i, rssi: -50 - (i % 10), battery: 90, power: 'BATTERY', issue: '', fw: 'bench-1.0.0', hb: 9 }),
  ),
);
const LOCK_TYPES = ['hello', 'status', 'reset'];
const unsigned = texts.map((t) => openEnvelope(key, t).unsigned);
const bodies = unsigned.map((u) => JSON.parse(u));
const now = new Date();
const cache = new LockCache();
const row = {
  deviceId, name: 'Front door', owner: 'u1', secretSealed: 'sealed', secretPendingSealed: null, secretPreviousSealed: null, rekeyId: null, rekeyStartedAt: null,
  status: 'LOCKED', state: 'AVAILABLE', issue: null, battery: 90, power: 'BATTERY', rssi: -50, firmware: 'bench-1.0.0', heartbeatS: null, timeZone: 'UTC',
  lastSeen: now, lastBoot: 1, lastSeq: 1, lastTs: 0, commandCounter: 0, protocolVersion: 1, door: null, boltMotion: null, lastChangeSource: null,
  lastChangedAt: now, doorOpenSince: null, unlockedSince: null, alerts: [], createdAt: now, updatedAt: now,
};
cache.set(row);

let sink = 0;
const steps = [
  ['HMAC alone: createHmac, hex digest (baseline)', (i) => (sink += createHmac('sha256', key).update(unsigned[i], 'utf8').digest('hex').length)],
  ['topics.parse', () => (sink += topics.parse(topic)?.deviceId.length ?? 0)],
  ['decodePayload (strict UTF-8)', (i) => (sink += decodePayload(payloads[i])?.length ?? 0)],
  ['openEnvelope (suffix + HMAC)', (i) => (sink += openEnvelope(key, texts[i]).ok ? 1 : 0)],
  ['isCompactUniqueJson', (i) => (sink += isCompactUniqueJson(unsigned[i]) ? 1 : 0)],
  ['JSON.parse', (i) => (sink += JSON.parse(unsigned[i]).seq)],
  ['checkStatus', (i) => (sink += checkStatus(bodies[i]).ok ? 1 : 0)],
  ['verifyStatus (all of the above but parse)', (i) => (sink += verifyStatus(key, texts[i], deviceId).verdict === 'valid' ? 1 : 0)],
  ['verifyFromLockV2, a v3 status', (i) => (sink += verifyFromLockV2(statusKey, textsV3[i], deviceId, LOCK_TYPES).verdict === 'valid' ? 1 : 0)],
  ['LockCache.get', () => (sink += cache.get(deviceId).lastSeq)],
  ['patchFromStatus + isVisibleChange', (i) => (sink += isVisibleChange(row, patchFromStatus(bodies[i], now)) ? 1 : 0)],
];

function time(run) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) run(i & 511);
  return Number(process.hrtime.bigint() - start) / iterations;
}

printMachine('Heartbeat path, step by step');
console.log(`${iterations.toLocaleString('en-US')} iterations per step, after as many to warm up\n`);
const rows = [];
for (const [name, run] of steps) {
  time(run);
  rows.push([name, time(run)]);
}
const baseline = rows[0][1];
console.log('step                                          | ns/heartbeat | × HMAC alone');
console.log('----------------------------------------------|--------------|-------------');
for (const [name, ns] of rows) console.log(`${name.padEnd(46)}| ${ns.toFixed(0).padStart(12)} | ${(ns / baseline).toFixed(2)}`);
if (sink === 0.5) console.log(sink); // keeps the results alive
