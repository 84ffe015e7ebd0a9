/**
 * Issue 9 item 10: an ack `{result:"ok", reason:"replay"}` was stored as SUCCEEDED with the reason
 * "replay", a command that both worked and was refused. A reason belongs only to a result that is
 * not ok (docs/protocol.md §5), so such a status is malformed: dropped, counted and audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { UNLOCK } from '../../src/test-support/lock-operations.js';
import { onlineRawLock, publishStatus, signedStatus } from '../../src/test-support/raw-lock.js';
import { eventually } from '../../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

let app: TestApp;
let owner: AuthResult;
beforeAll(async () => {
  // Long enough that a command still SENT after the ack was handled was not completed by the ack.
  app = await startTestApp({ COMMAND_TIMEOUT_MS: '60000' });
  owner = await signUp(app.httpUrl, 'acker');
});
afterAll(async () => {
  await app.close();
});

const droppedMalformed = async () => {
  const text = await app.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_dropped_total');
  return Number(/reason="malformed"} (\d+)/.exec(text)?.[1] ?? 0);
};

async function sentUnlock(): Promise<{ id: string; send: (ack: { id: string; result: 'ok' | 'rejected' | 'failed'; reason?: string }, seq: number) => Promise<unknown>; deviceId: string }> {
  const { lock, client } = await onlineRawLock(app, owner.accessToken);
  const sent = await gql<{ unlock: { id: string } }>(app.httpUrl, UNLOCK, { d: lock.deviceId }, owner.accessToken);
  const id = sent.data?.unlock.id ?? '';
  const send = (ack: { id: string; result: 'ok' | 'rejected' | 'failed'; reason?: string }, seq: number) =>
    publishStatus(app, client, lock, signedStatus(lock, { seq, status: ack.result === 'ok' ? 'UNLOCKED' : 'LOCKED', ctr: 1, ack }));
  return { id, send, deviceId: lock.deviceId };
}

describe('an ok ack with a reason', () => {
  it('is dropped as malformed, counted and audited; the command stays SENT', async () => {
    const { id, send, deviceId } = await sentUnlock();
    const before = await droppedMalformed();
    await send({ id, result: 'ok', reason: 'replay' }, 2);
    // Whichever happens first: the status is dropped, or the ack completes the command.
    await eventually(async () => (await droppedMalformed()) > before || (await app.services.store.commands.findById(id))?.state !== 'SENT');
    expect(await app.services.store.commands.findById(id)).toMatchObject({ state: 'SENT', reason: null });
    expect(await droppedMalformed()).toBe(before + 1);
    const audit = await app.services.store.audit.query({ deviceId, action: 'lock.messageDropped' }, { first: 5 });
    expect(audit.items[0]?.result).toBe('malformed');
    expect(audit.items[0]?.detail).toBe('ack.reason: only a result that is not ok has a reason');
    expect((await app.services.store.locks.findByDeviceId(deviceId))?.status).toBe('LOCKED');
  });

  it('still completes the command from a plain ok ack, and keeps the reason of a rejection', async () => {
    const ok = await sentUnlock();
    await ok.send({ id: ok.id, result: 'ok' }, 2);
    expect(await eventually(async () => (await app.services.store.commands.findById(ok.id))?.state === 'SUCCEEDED' && (await app.services.store.commands.findById(ok.id)))).toMatchObject({ reason: null });

    const rejected = await sentUnlock();
    await rejected.send({ id: rejected.id, result: 'rejected', reason: 'replay' }, 2);
    const command = await eventually(async () => {
      const found = await app.services.store.commands.findById(rejected.id);
      return found?.state === 'REJECTED' ? found : null;
    });
    expect(command.reason).toBe('replay');
  });
});
