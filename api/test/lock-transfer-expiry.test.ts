/**
 * A transfer offer expires (LOCK_TRANSFER_OFFER_TTL, here 1 s): it leaves both lists, cannot be
 * accepted, and makes way for a new offer. Offering needs a recent password check (STEP_UP_MAX_AGE,
 * here 2 s): STEP_UP_REQUIRED, then `reauthenticate` and the retry goes through.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock } from '../src/test-support/locks.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const PASSWORD = 'correct horse battery';
const OFFER = 'mutation ($d: ID!, $u: String!) { offerLockTransfer(deviceId: $d, toUsername: $u) { id state } }';
const ACCEPT = 'mutation ($id: ID!) { acceptLockTransfer(offerId: $id) { secret } }';
const OFFERS = 'query { lockTransferOffers { made { id } received { id } } }';
const REAUTH = 'mutation ($p: String!) { reauthenticate(password: $p) }';

let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;

beforeAll(async () => {
  app = await startTestApp({ LOCK_TRANSFER_OFFER_TTL: '1s', STEP_UP_MAX_AGE: '2s' });
  bob = await signUp(app.httpUrl, 'bob', PASSWORD);
});
afterAll(async () => {
  await app.close();
});

describe('transfer offers in time', () => {
  it('an expired offer leaves both lists, cannot be accepted, and a new offer may be made', async () => {
    alice = await signUp(app.httpUrl, 'alice', PASSWORD);
    const lock = await registerLock(app, alice.accessToken);
    const made = await gql<{ offerLockTransfer: { id: string; state: string } }>(app.httpUrl, OFFER, { d: lock.deviceId, u: 'bob' }, alice.accessToken);
    expect(made.data?.offerLockTransfer.state).toBe('OPEN');
    const id = made.data?.offerLockTransfer.id;
    expect((await gql(app.httpUrl, OFFERS, {}, bob.accessToken)).data).toEqual({ lockTransferOffers: { made: [], received: [{ id }] } });

    await sleep(2200);
    expect((await gql(app.httpUrl, OFFERS, {}, bob.accessToken)).data).toEqual({ lockTransferOffers: { made: [], received: [] } });
    expect((await gql(app.httpUrl, OFFERS, {}, alice.accessToken)).data).toEqual({ lockTransferOffers: { made: [], received: [] } });
    expect(errorCodes(await gql(app.httpUrl, ACCEPT, { id }, bob.accessToken))).toEqual(['BAD_USER_INPUT']);
    expect((await app.services.store.locks.findByDeviceId(lock.deviceId))?.owner).toBe('alice');

    // Alice's password check is older than 2 s by now: she proves it again, and offers anew.
    expect(errorCodes(await gql(app.httpUrl, OFFER, { d: lock.deviceId, u: 'bob' }, alice.accessToken))).toEqual(['STEP_UP_REQUIRED']);
    expect((await gql(app.httpUrl, REAUTH, { p: PASSWORD }, alice.accessToken)).data).toEqual({ reauthenticate: true });
    const again = await gql<{ offerLockTransfer: { id: string; state: string } }>(app.httpUrl, OFFER, { d: lock.deviceId, u: 'bob' }, alice.accessToken);
    expect(again.data?.offerLockTransfer.state).toBe('OPEN');
    expect((await app.services.store.lockTransfers.findById(id ?? ''))?.state).toBe('EXPIRED');
  });
});
