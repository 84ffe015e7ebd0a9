/**
 * Issue 9 item 10, a defence that already holds: a lock's `issue` and `fw` are shown with the lock
 * and in the audit log admins read, and an owner controls their lock's firmware, so they are text a
 * user sets. The protocol's byte rules (docs/protocol.md §4) admit only printable ASCII without
 * escapes in a status, so control and format characters make it malformed: dropped and counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { onlineRawLock, publishStatus, signedStatus } from '../../src/test-support/raw-lock.js';
import { eventually } from '../../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

let app: TestApp;
let owner: AuthResult;
beforeAll(async () => {
  app = await startTestApp();
  owner = await signUp(app.httpUrl, 'tinkerer');
});
afterAll(async () => {
  await app.close();
});

const droppedMalformed = async () => {
  const text = await app.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_dropped_total');
  return Number(/reason="malformed"} (\d+)/.exec(text)?.[1] ?? 0);
};

describe('a status whose free text hides characters', () => {
  const cases: [string, Record<string, string>][] = [
    ['an issue with a forged second line', { issue: 'Battery low\nlock.remove ok' }],
    ['an issue with an ANSI escape', { issue: '\u001b[2JAll good' }],
    ['an issue with a right-to-left override', { issue: 'Motor \u202Edemmaj' }],
    ['a firmware text with a zero-width space', { fw: '1.0.0\u200B' }],
  ];
  it.each(cases)('is dropped as malformed and counted: %s', async (_what, text) => {
    const { lock, client } = await onlineRawLock(app, owner.accessToken);
    try {
      const before = await droppedMalformed();
      await publishStatus(app, client, lock, signedStatus(lock, { seq: 2, status: 'UNLOCKED', ...text }));
      // Whichever comes first: the drop, or the status taking effect.
      await eventually(async () => (await droppedMalformed()) > before || (await app.services.store.locks.findByDeviceId(lock.deviceId))?.status === 'UNLOCKED');
      const stored = await app.services.store.locks.findByDeviceId(lock.deviceId);
      expect(stored).toMatchObject({ status: 'LOCKED', issue: null, firmware: null });
    } finally {
      client.end(true);
    }
  });

  it('is accepted when the text is ordinary printable ASCII', async () => {
    const { lock, client } = await onlineRawLock(app, owner.accessToken);
    try {
      await publishStatus(app, client, lock, signedStatus(lock, { seq: 2, status: 'UNLOCKED', issue: 'Motor jammed (2x)', fw: '1.0.0-rc.1' }));
      const stored = await eventually(async () => {
        const found = await app.services.store.locks.findByDeviceId(lock.deviceId);
        return found?.status === 'UNLOCKED' ? found : null;
      });
      expect(stored).toMatchObject({ issue: 'Motor jammed (2x)', firmware: '1.0.0-rc.1' });
    } finally {
      client.end(true);
    }
  });
});
