/**
 * IDOR over passkey ids (the list in idor.test.ts names these operations): bob names alice's
 * passkey in `renamePasskey` and `removePasskey` and gets NOT_FOUND, exactly as for an id that does
 * not exist, and her passkey is unchanged and still signs her in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { SoftAuthenticator } from '../../src/test-support/soft-authenticator.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;
let passkeyId: string;
let authenticator: SoftAuthenticator;

beforeAll(async () => {
  app = await startTestApp();
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
  authenticator = new SoftAuthenticator(new URL(app.httpUrl).origin);
  const options = await gql<{ passkeyRegistrationOptions: string }>(app.httpUrl, 'mutation { passkeyRegistrationOptions }', {}, alice.accessToken);
  const added = await gql<{ addPasskey: { id: string } }>(
    app.httpUrl,
    'mutation ($r: String!) { addPasskey(response: $r, name: "Alice phone") { id } }',
    { r: authenticator.register(options.data!.passkeyRegistrationOptions).response },
    alice.accessToken,
  );
  passkeyId = added.data!.addPasskey.id;
});
afterAll(async () => {
  await app.close();
});

const asBob = (query: string, variables: Record<string, unknown>) => gql(app.httpUrl, query, variables, bob.accessToken);
const alicesPasskeys = async () => app.services.store.passkeys.listByUser(alice.user.id);

describe("IDOR: bob names alice's passkey", () => {
  it.each([
    ['Mutation.renamePasskey', 'mutation ($id: ID!) { renamePasskey(id: $id, name: "pwned") { id name } }'],
    ['Mutation.removePasskey', 'mutation ($id: ID!) { removePasskey(id: $id) }'],
  ])('%s: NOT_FOUND like a missing id, and her passkey is unchanged', async (_operation, mutation) => {
    const before = await alicesPasskeys();
    expect(before).toHaveLength(1);
    const attacked = await asBob(mutation, { id: passkeyId });
    const missing = await asBob(mutation, { id: '00000000-0000-4000-8000-000000000000' });
    expect(errorCodes(attacked)).toEqual(['NOT_FOUND']);
    expect(attacked.data ?? null).toBeNull();
    expect(attacked.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
    expect(await alicesPasskeys()).toEqual(before);
  });

  it('her passkey still signs her in', async () => {
    const options = await gql<{ passkeySignInOptions: string }>(app.httpUrl, 'mutation { passkeySignInOptions }');
    const signedIn = await gql<{ signInWithPasskey: { user: { username: string } } }>(app.httpUrl, 'mutation ($r: String!) { signInWithPasskey(response: $r) { user { username } } }', {
      r: authenticator.assert(options.data!.passkeySignInOptions),
    });
    expect(signedIn.data?.signInWithPasskey.user.username).toBe('alice');
  });
});
