/**
 * A lock that goes offline while a command is being prepared (between the LOCK_OFFLINE check and
 * the publish) is not sent the command: it ends FAILED at once with the reason, instead of going
 * out to a lock whose ack would be dropped (a rebooted lock with no time yet) and ending TIMED_OUT
 * even if the lock obeyed it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchCommands } from '../src/test-support/command-catcher.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { UNLOCK } from '../src/test-support/lock-operations.js';
import { onlineRawLock } from '../src/test-support/raw-lock.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let owner: AuthResult;

beforeAll(async () => {
  app = await startTestApp();
  owner = await signUp(app.httpUrl, 'owner');
});
afterAll(async () => {
  await app.close();
});

describe('a command to a lock that goes offline while it is prepared', () => {
  it('ends FAILED with "the lock went offline" and is never published', async () => {
    const { lock, client } = await onlineRawLock(app, owner.accessToken);
    const catcher = await catchCommands(app, client, lock);
    const { locks, commands } = app.services.store;
    const open = commands.open.bind(commands);
    // The ingest marks the lock while the command is on its way to the publish (here: as it is stored).
    commands.open = async (command, claim, at) => {
      await locks.markUnavailableUnlessSeenSince(command.deviceId, new Date(), 'Clock out of sync');
      return open(command, claim, at);
    };
    try {
      const sent = await gql<{ unlock: { id: string; state: string } }>(app.httpUrl, UNLOCK, { d: lock.deviceId }, owner.accessToken);
      expect(sent.errors).toBeUndefined();
      expect(sent.data?.unlock.state).toBe('FAILED');
      const stored = await app.services.store.commands.findById(sent.data?.unlock.id ?? '');
      expect(stored).toMatchObject({ state: 'FAILED', reason: 'the lock went offline: Clock out of sync' });
      await expect(catcher.waitForCount(1, 500)).rejects.toThrow(/only 0 of 1/);
    } finally {
      commands.open = open;
      await client.endAsync(true);
    }
  });
});
