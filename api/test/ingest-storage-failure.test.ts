/**
 * The heartbeat fast path updates its cache before the batched write. When the
 * batch write fails (the storage is failing), the cache must not go on
 * believing those heartbeats were stored: otherwise the stored lastSeen stays
 * old and the offline sweep marks a lock that keeps reporting as offline.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StorageFailureError } from '../src/store/errors.js';
import { signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, startLock } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let owner: AuthResult;

beforeAll(async () => {
  // The test flushes by hand; the timer's flush must not run in between.
  app = await startTestApp({ HEARTBEAT_FLUSH_MS: '5000' });
  owner = await signUp(app.httpUrl, 'owner');
});
afterAll(async () => {
  vi.restoreAllMocks();
  await app.close();
});

const stored = (deviceId: string) => app.services.store.locks.findByDeviceId(deviceId);
async function acceptedHeartbeats(): Promise<number> {
  const metric = await app.services.metrics.mqttAccepted.get();
  return metric.values.find((value) => value.labels.kind === 'heartbeat')?.value ?? 0;
}

describe('heartbeat batches on a failing store', () => {
  it('writes a heartbeat batch again after its write failed, instead of believing it stored', async () => {
    const lock = await registerLock(app, owner.accessToken, 'busy-door');
    const sim = await startLock(app, lock);
    try {
      await eventually(async () => (await stored('busy-door'))?.state === 'AVAILABLE');
      const firstSeen = (await stored('busy-door'))?.lastSeen?.getTime() ?? 0;
      const applyStatuses = vi
        .spyOn(app.services.store.locks, 'applyStatuses')
        .mockRejectedValueOnce(new StorageFailureError('locks.applyStatuses', { cause: new Error('SQLITE_FULL') }));

      await sim.sendStatus(); // an unchanged status: a heartbeat, coalesced into the next batch
      await eventually(async () => (await acceptedHeartbeats()) === 1);
      await app.services.ingest.flush();
      expect(applyStatuses).toHaveBeenCalledTimes(1);
      expect((await stored('busy-door'))?.lastSeen?.getTime()).toBe(firstSeen);

      await app.services.ingest.flush();
      expect((await stored('busy-door'))?.lastSeen?.getTime()).toBeGreaterThan(firstSeen);
    } finally {
      await sim.stop({ graceful: false });
    }
  });
});
