import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StatusTrust } from '../src/devices/status-trust.js';
import { signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { onlineRawLock, publishStatus, signedStatus } from '../src/test-support/raw-lock.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { sendUnlock as sendUnlockAs } from '../src/test-support/lock-operations.js';

/**
 * A command's ack goes from the ingest's synchronous path (it is not a plain heartbeat) to its
 * ordered path, on the way back of every command: its signature is verified and the message parsed
 * once, not again on the ordered path (status-ingest.ts, `handedOver`), unless the lock's cached
 * row changed in between.
 */
let app: TestApp;
let owner: AuthResult;

beforeAll(async () => {
  app = await startTestApp({ COMMAND_TIMEOUT_MS: '60000' });
  owner = await signUp(app.httpUrl, 'verifyonce');
});
afterAll(async () => {
  vi.restoreAllMocks();
  await app.close();
});

const sendUnlock = (deviceId: string) => sendUnlockAs(app.httpUrl, owner.accessToken, deviceId);

describe('the ingest verifying a command ack', () => {
  it('checks it once, and still completes the command and stores the new status', async () => {
    const { lock, client } = await onlineRawLock(app, owner.accessToken);
    const id = await sendUnlock(lock.deviceId);
    const check = vi.spyOn(StatusTrust.prototype, 'check');
    await publishStatus(app, client, lock, signedStatus(lock, { seq: 2, status: 'UNLOCKED', ctr: 1, ack: { id, result: 'ok' } }));
    await eventually(async () => (await app.services.store.commands.findById(id))?.state === 'SUCCEEDED');
    expect((await app.services.store.locks.findByDeviceId(lock.deviceId))?.status).toBe('UNLOCKED');
    expect(check.mock.calls.filter(([, text]) => text.includes(id))).toHaveLength(1);
    check.mockRestore();
    await client.endAsync(true);
  });
});
