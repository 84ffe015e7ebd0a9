/**
 * IDOR over transfer offers (the list in idor.test.ts names these): mallory, holding the id of an
 * offer alice made to bob, can neither cancel, decline nor accept it, gets exactly the answer a
 * made-up id gets, learns nothing from the live feed, and the offer and lock stay as they were.
 * The parties cannot take each other's part either (bob cannot cancel, alice cannot accept).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, signUp, wsClient, type AuthResult } from '../../src/test-support/graphql-client.js';
import { registerLock } from '../../src/test-support/locks.js';
import { subscribed } from '../../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const OFFER = 'mutation ($d: ID!, $u: String!) { offerLockTransfer(deviceId: $d, toUsername: $u) { id } }';
const BY_ID: Record<string, string> = {
  cancelLockTransfer: 'mutation ($id: ID!) { cancelLockTransfer(offerId: $id) { id } }',
  declineLockTransfer: 'mutation ($id: ID!) { declineLockTransfer(offerId: $id) { id } }',
  acceptLockTransfer: 'mutation ($id: ID!) { acceptLockTransfer(offerId: $id) { secret } }',
};
const OFFERS = 'query { lockTransferOffers { made { id } received { id } } }';
const CHANGED = 'subscription { lockTransferChanged { id } }';

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

describe('IDOR: transfer offers by id', () => {
  it.each(Object.keys(BY_ID))('%s of an offer between alice and bob: mallory gets what a made-up id gets, and nothing changes', async (field) => {
    const lock = await registerLock(app, alice.accessToken);
    const id = (await gql<{ offerLockTransfer: { id: string } }>(app.httpUrl, OFFER, { d: lock.deviceId, u: 'bob' }, alice.accessToken)).data?.offerLockTransfer.id;
    const query = BY_ID[field] ?? '';
    const attack = await gql(app.httpUrl, query, { id }, mallory.accessToken);
    const madeUp = await gql(app.httpUrl, query, { id: '00000000-0000-4000-8000-000000000000' }, mallory.accessToken);
    expect(errorCodes(attack)).toEqual(['NOT_FOUND']);
    expect(attack.data ?? null).toBeNull();
    expect(attack.errors?.[0]?.message.replace(id ?? '', 'ID')).toBe(madeUp.errors?.[0]?.message.replace('00000000-0000-4000-8000-000000000000', 'ID'));
    expect((await app.services.store.lockTransfers.findById(id ?? ''))?.state).toBe('OPEN');
    expect((await app.services.store.locks.findByDeviceId(lock.deviceId))?.owner).toBe('alice');
    // The offer is bob's to answer and alice's to withdraw: each is refused the other's part.
    const wrongParty = field === 'cancelLockTransfer' ? bob : alice;
    expect(errorCodes(await gql(app.httpUrl, query, { id }, wrongParty.accessToken))).toEqual(['NOT_FOUND']);
    expect((await app.services.store.lockTransfers.findById(id ?? ''))?.state).toBe('OPEN');
    await gql(app.httpUrl, BY_ID.cancelLockTransfer ?? '', { id }, alice.accessToken);
  });

  it("mallory's list and live feed show nothing of alice's offer to bob", async () => {
    const lock = await registerLock(app, alice.accessToken);
    const client = wsClient(app.wsUrl, mallory.accessToken, { lazy: false });
    const bobClient = wsClient(app.wsUrl, bob.accessToken, { lazy: false });
    try {
      const feed = await subscribed<{ id: string }>(app.websocketOperations, client, CHANGED);
      const bobFeed = await subscribed<{ id: string }>(app.websocketOperations, bobClient, CHANGED);
      const id = (await gql<{ offerLockTransfer: { id: string } }>(app.httpUrl, OFFER, { d: lock.deviceId, u: 'bob' }, alice.accessToken)).data?.offerLockTransfer.id;
      // Bob hears it (so the feed works), mallory does not.
      await bobFeed.waitFor((o) => o.id === id);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(feed.events).toEqual([]);
      expect((await gql(app.httpUrl, OFFERS, {}, mallory.accessToken)).data).toEqual({ lockTransferOffers: { made: [], received: [] } });
      feed.stop();
      bobFeed.stop();
    } finally {
      await client.dispose();
      await bobClient.dispose();
    }
  });
});
