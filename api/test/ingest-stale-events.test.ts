/**
 * The ingest caches the rows other parts of the api announce (`lock.changed`), so a heartbeat reads
 * no database. Events from different replicas can arrive in another order than their writes: a row
 * written before a secret changed may be announced after it. Such a row must never bring the old
 * secret back into the cache, or a status signed with it would be believed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusJson } from '../src/devices/protocol/messages.js';
import { signPayload } from '../src/devices/protocol/signature.js';
import type { LockRecord } from '../src/store/records.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, type Registered } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let owner: AuthResult;

beforeAll(async () => {
  app = await startTestApp();
  owner = await signUp(app.httpUrl, 'stale-owner');
});
afterAll(async () => {
  await app.close();
});

/** A status as the lock (or whoever holds `secretHex`) signs it, handed to the ingest as the broker would. */
function deliver(lock: Registered, secretHex: string, seq: number, status: 'LOCKED' | 'UNLOCKED'): void {
  const payload = signPayload(Buffer.from(secretHex, 'hex'), statusJson({ v: 1, type: 'status', dev: lock.deviceId, boot: 1, seq, status, ctr: 0, ts: Math.floor(Date.now() / 1000) }));
  app.services.ingest.handle({ topic: app.topics.of(lock.deviceId, 'status'), payload: Buffer.from(payload), retain: false });
}

/** Events of one name reach their followers in order: once a row announced after `row` is cached, `row` has been handled. */
async function announceAndWait(row: LockRecord): Promise<void> {
  const fence = await registerLock(app, owner.accessToken);
  app.services.events.publish('lock.changed', row);
  app.services.events.publish('lock.changed', await stored(fence.deviceId));
  await eventually(() => Promise.resolve(app.services.ingest.known(fence.deviceId) !== undefined));
}

const statusesAudited = async (deviceId: string) => (await app.services.store.audit.query({ deviceId, action: 'lock.status' }, { first: 10 })).items.map((e) => e.result).reverse();

const stored = async (deviceId: string) => (await app.services.store.locks.findByDeviceId(deviceId)) as LockRecord;
const rotate = async (deviceId: string) =>
  (await gql<{ rotateDeviceSecret: { deviceSecret: string } }>(app.httpUrl, `mutation { rotateDeviceSecret(deviceId: "${deviceId}") { deviceSecret } }`, {}, owner.accessToken)).data?.rotateDeviceSecret.deviceSecret ?? '';

describe('rows announced out of order', () => {
  it('a row from before a new secret, announced after it, does not make the old secret trusted again', async () => {
    const lock = await registerLock(app, owner.accessToken, 'stale-door');
    deliver(lock, lock.deviceSecret, 1, 'LOCKED');
    await eventually(async () => (await stored(lock.deviceId)).state === 'AVAILABLE');
    const before = await stored(lock.deviceId);
    const newSecret = await rotate(lock.deviceId);
    // Another replica's event about the row it wrote before the rotation, arriving late.
    await announceAndWait(before);
    expect(app.services.ingest.known(lock.deviceId)?.secretSealed).not.toBe(before.secretSealed);
    // Signed with the old secret: dropped, the store untouched. With the new one: believed.
    deliver(lock, lock.deviceSecret, 2, 'UNLOCKED');
    deliver(lock, newSecret, 3, 'LOCKED');
    await eventually(async () => (await stored(lock.deviceId)).lastSeq === 3);
    expect(await statusesAudited(lock.deviceId)).toEqual(['LOCKED']);
  });

  it('a row announced with another secret than the cached one is not cached: the store decides', async () => {
    const lock = await registerLock(app, owner.accessToken, 'racing-door');
    deliver(lock, lock.deviceSecret, 1, 'LOCKED');
    await eventually(async () => (await stored(lock.deviceId)).state === 'AVAILABLE');
    const before = await stored(lock.deviceId);
    const newSecret = await rotate(lock.deviceId);
    deliver(lock, newSecret, 2, 'LOCKED');
    await eventually(() => Promise.resolve(app.services.ingest.known(lock.deviceId)?.lastSeq === 2));
    await announceAndWait(before);
    expect(app.services.ingest.known(lock.deviceId)?.secretSealed).not.toBe(before.secretSealed);
    deliver(lock, lock.deviceSecret, 3, 'UNLOCKED');
    deliver(lock, newSecret, 4, 'LOCKED');
    await eventually(async () => (await stored(lock.deviceId)).lastSeq === 4);
    expect(await statusesAudited(lock.deviceId)).toEqual(['LOCKED']);
  });

  it('after a new secret, a row the ingest stored itself makes it take announced rows again', async () => {
    const lock = await registerLock(app, owner.accessToken, 'willing-door');
    deliver(lock, lock.deviceSecret, 1, 'LOCKED');
    await eventually(async () => (await stored(lock.deviceId)).state === 'AVAILABLE');
    await rotate(lock.deviceId);
    // The lock's will: the ingest writes the row (Unavailable) and caches it, without a read first.
    app.services.ingest.handle({ topic: app.topics.of(lock.deviceId, 'availability'), payload: Buffer.from('offline'), retain: false });
    await eventually(() => Promise.resolve(app.services.ingest.known(lock.deviceId)?.state === 'UNAVAILABLE'));
    // A change made elsewhere after that (here: the store's row under a new name) is taken.
    const renamed = { ...(await stored(lock.deviceId)), name: 'Back door' };
    await announceAndWait(renamed);
    expect(app.services.ingest.known(lock.deviceId)?.name).toBe('Back door');
  });
});
