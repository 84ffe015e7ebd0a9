/**
 * Attack: a lock (or whoever holds its broker password) floods its own status
 * and availability topics with random bytes, mutated genuine statuses and
 * random but correctly signed JSON, hoping to crash or wedge the ingest.
 * Defence: the ingest never throws (status-ingest.ts handle()), and every
 * message ends as accepted or dropped-and-counted.
 * Oracle: accepted + dropped grows by exactly the number of messages that
 * must be judged (so none fell into an exception), the api stays healthy and
 * a genuine status from another lock is still accepted afterwards.
 * 2,000 messages in `npm test`; SECURITY_FUZZ_FULL=1 sends 20,000.
 * A failure prints its seed; SECURITY_FUZZ_SEED=<seed> replays it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '../../src/devices/protocol/signature.js';
import { signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { onlineRawLock, signedStatus } from '../../src/test-support/raw-lock.js';
import { eventually } from '../../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';
import { accepted, dropped, fuzzCount, fuzzSeed, seededRandom, stillHealthy, withSeed } from './attack-kit.js';

const MESSAGES = fuzzCount(2_000, 20_000);
const IN_FLIGHT = 100;

let app: TestApp;
let owner: AuthResult;
beforeAll(async () => {
  app = await startTestApp({ STATUS_MAX_SKEW_S: '120' });
  owner = await signUp(app.httpUrl, 'fuzz-owner');
});
afterAll(async () => {
  await app.close();
});

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const int = (random: Random, max: number) => Math.floor(random() * max);

const VALUES: readonly unknown[] = [0, 1, -1, 2, 100, 101, -200, 2 ** 53, 1.5, '', 'LOCKED', 'UNLOCKED', 'JAMMED', 'x'.repeat(70), true, false, null, {}, [], { id: 'c1', result: 'ok' }];
const KEYS = ['v', 'type', 'dev', 'boot', 'seq', 'status', 'ctr', 'ts', 'uptime', 'rssi', 'battery', 'power', 'issue', 'fw', 'ack', 'sig', 'extra'];

function randomBytes(random: Random): Buffer {
  return Buffer.from(Array.from({ length: int(random, 1500) }, () => int(random, 256)));
}

/** A genuine status with a few bytes replaced, inserted or deleted. */
function mutated(random: Random, genuine: string): string {
  const chars = [...genuine];
  for (let i = 0, n = 1 + int(random, 4); i < n; i++) {
    const at = int(random, chars.length);
    const op = int(random, 3);
    const ch = String.fromCharCode(32 + int(random, 95));
    if (op === 0) chars[at] = ch;
    else if (op === 1) chars.splice(at, 0, ch);
    else chars.splice(at, 1);
  }
  return chars.join('');
}

/** Random members with random values, correctly signed: it gets past the HMAC and exercises every later check. */
function signedRandomObject(random: Random, key: Buffer, deviceId: string): string {
  const body: Record<string, unknown> = { v: 1, type: 'status', dev: deviceId, boot: 1 + int(random, 3), seq: 1 + int(random, 1000), status: 'LOCKED', ctr: 0, ts: Math.floor(Date.now() / 1000) };
  for (let i = 0, n = int(random, 5); i < n; i++) {
    const member = pick(random, KEYS);
    if (random() < 0.2) delete body[member];
    else body[member] = pick(random, VALUES);
  }
  return signPayload(key, JSON.stringify(body));
}

const AVAILABILITY_IGNORED = new Set(['online', '', 'offline']);

describe('fuzzed MQTT payloads on a lock\'s own topics', () => {
  it(`judges every one of ${MESSAGES} random payloads without an exception, and the api stays healthy`, async () => {
    const seed = fuzzSeed();
    await withSeed(seed, async () => {
      const random = seededRandom(seed);
      const { lock, client } = await onlineRawLock(app, owner.accessToken);
      const key = Buffer.from(lock.deviceSecret, 'hex');
      const genuine = signedStatus(lock, { seq: 2 });
      const before = (await accepted(app)) + (await dropped(app));
      let mustBeJudged = 0;
      const makeOne = (): { topic: string; payload: Buffer | string } => {
        const roll = random();
        if (roll < 0.1) {
          const payload = random() < 0.5 ? pick(random, ['online', 'offline', '', 'OFFLINE', 'x']) : randomBytes(random);
          if (!AVAILABILITY_IGNORED.has(Buffer.from(payload).toString('utf8'))) mustBeJudged += 1;
          return { topic: app.topics.of(lock.deviceId, 'availability'), payload };
        }
        mustBeJudged += 1;
        const status = app.topics.of(lock.deviceId, 'status');
        if (roll < 0.35) return { topic: status, payload: randomBytes(random) };
        if (roll < 0.65) return { topic: status, payload: mutated(random, genuine) };
        return { topic: status, payload: signedRandomObject(random, key, lock.deviceId) };
      };
      for (let sent = 0; sent < MESSAGES; sent += IN_FLIGHT) {
        const batch = Array.from({ length: Math.min(IN_FLIGHT, MESSAGES - sent) }, makeOne);
        await Promise.all(batch.map(({ topic, payload }) => client.publishAsync(topic, payload, { qos: 1 })));
      }
      // Every judged message is either accepted or dropped with a reason: a shortfall is an exception in the ingest.
      const judged = async () => (await accepted(app)) + (await dropped(app)) - before;
      await eventually(async () => (await judged()) >= mustBeJudged, 30_000).catch(async () => {
        throw new Error(`only ${await judged()} of ${mustBeJudged} fuzzed messages were accepted or dropped`);
      });
      expect(await judged()).toBe(mustBeJudged);
      client.end(true);

      expect(await stillHealthy(app)).toEqual({ healthz: 200, readyz: 200 });
      const control = await onlineRawLock(app, owner.accessToken); // a genuine status is still accepted
      control.client.end(true);
    });
  }, 120_000);
});
