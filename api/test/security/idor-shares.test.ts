/**
 * IDOR over shares and invitations (the list in idor.test.ts names these): mallory, holding the id
 * of alice's share with bob or of her invitation, can neither change, revoke nor cancel it, gets
 * exactly the answer a made-up id gets, and the share and invitation stay as they were. Bob, the
 * guest, may leave his share but not change it, nor cancel alice's invitations (FORBIDDEN: he sees
 * the lock). Mallory's lock list and live feeds show nothing of the shared lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, signUp, wsClient, type AuthResult } from '../../src/test-support/graphql-client.js';
import { registerLock } from '../../src/test-support/locks.js';
import { CANCEL_INVITATION, INVITE, REVOKE_SHARE, shareLock, UPDATE_SHARE } from '../../src/test-support/sharing-operations.js';
import { subscribed } from '../../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const MADE_UP = '00000000-0000-4000-8000-000000000000';

let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;
let mallory: AuthResult;

beforeAll(async () => {
  app = await startTestApp();
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
  mallory = await signUp(app.httpUrl, 'mallory');
});
afterAll(async () => {
  await app.close();
});

async function aliceSharesWithBob() {
  const lock = await registerLock(app, alice.accessToken);
  const share = await shareLock(app.httpUrl, alice, lock.deviceId, 'bob', 'GUEST', { endsAt: '2099-01-01T00:00:00.000Z' });
  const invited = await gql<{ createShareInvitation: { invitation: { id: string } } }>(app.httpUrl, INVITE, { d: lock.deviceId, r: 'CO_OWNER' }, alice.accessToken);
  return { lock, share, invitationId: invited.data?.createShareInvitation.invitation.id ?? '' };
}

const BY_ID: Record<string, { query: string; variables: (id: string) => Record<string, unknown>; target: 'share' | 'invitation' }> = {
  updateShare: { query: UPDATE_SHARE, variables: (id) => ({ id, r: 'CO_OWNER' }), target: 'share' },
  revokeShare: { query: REVOKE_SHARE, variables: (id) => ({ id }), target: 'share' },
  cancelShareInvitation: { query: CANCEL_INVITATION, variables: (id) => ({ id }), target: 'invitation' },
};

describe('IDOR: shares and invitations by id', () => {
  it.each(Object.keys(BY_ID))('%s of alice\'s share or invitation: mallory gets what a made-up id gets, and nothing changes', async (field) => {
    const attack = BY_ID[field];
    if (!attack) throw new Error(field);
    const { share, invitationId } = await aliceSharesWithBob();
    const id = attack.target === 'share' ? share.id : invitationId;
    const response = await gql(app.httpUrl, attack.query, attack.variables(id), mallory.accessToken);
    const madeUp = await gql(app.httpUrl, attack.query, attack.variables(MADE_UP), mallory.accessToken);
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]?.message.replace(id, 'ID')).toBe(madeUp.errors?.[0]?.message.replace(MADE_UP, 'ID'));
    expect(await app.services.store.lockShares.findById(share.id)).toMatchObject({ role: 'GUEST', guest: 'bob' });
    expect((await app.services.store.lockShares.findInvitation(invitationId))?.usedAt).toBeNull();
  });

  it('bob (the guest) may not change his share or cancel invitations: FORBIDDEN, nothing changes', async () => {
    const { share, invitationId } = await aliceSharesWithBob();
    expect(errorCodes(await gql(app.httpUrl, UPDATE_SHARE, { id: share.id, r: 'CO_OWNER' }, bob.accessToken))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(app.httpUrl, CANCEL_INVITATION, { id: invitationId }, bob.accessToken))).toEqual(['FORBIDDEN']);
    expect((await app.services.store.lockShares.findById(share.id))?.role).toBe('GUEST');
    expect(await app.services.store.lockShares.findInvitation(invitationId)).not.toBeNull();
  });

  it("mallory's lock list and live feed show nothing of the shared lock", async () => {
    const client = wsClient(app.wsUrl, mallory.accessToken, { lazy: false });
    try {
      const changes = await subscribed<{ deviceId: string }>(app.websocketOperations, client, 'subscription { lockChanged { deviceId } }');
      const lost = await subscribed<{ deviceId: string }>(app.websocketOperations, client, 'subscription { lockAccessLost { deviceId } }');
      const { lock, share } = await aliceSharesWithBob();
      await gql(app.httpUrl, REVOKE_SHARE, { id: share.id }, alice.accessToken);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(changes.events.filter((e) => e.deviceId === lock.deviceId)).toEqual([]);
      expect(lost.events).toEqual([]);
      const list = await gql<{ locks: { deviceId: string }[] }>(app.httpUrl, 'query { locks { deviceId } }', {}, mallory.accessToken);
      expect(list.data?.locks).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});
