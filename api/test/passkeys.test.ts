/**
 * Passkeys against the real api, answered by a software authenticator written in the test
 * (node:crypto ES256, attestation 'none', assertions built by hand: test-support/soft-authenticator.ts).
 * Adding one needs step-up; it then signs in without a password (usernameless or with a
 * username), is the second factor after a password, and is a step-up proof. Each answer works
 * once, for the purpose and scope it was asked for; a counter that goes back, a removed passkey,
 * another account's passkey and an unverified user are refused alike.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult, type GraphQLResponse } from '../src/test-support/graphql-client.js';
import { SoftAuthenticator } from '../src/test-support/soft-authenticator.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const PASSWORD = 'correct horse battery';
const REG_OPTIONS = 'mutation { passkeyRegistrationOptions }';
const ADD = 'mutation ($r: String!, $n: String!) { addPasskey(response: $r, name: $n) { id name createdAt lastUsedAt } }';
const LIST = 'query { passkeys { id name lastUsedAt } }';
const RENAME = 'mutation ($id: ID!, $n: String!) { renamePasskey(id: $id, name: $n) { id name } }';
const REMOVE = 'mutation ($id: ID!) { removePasskey(id: $id) }';
const SIGN_IN_OPTIONS = 'mutation ($u: String) { passkeySignInOptions(username: $u) }';
const SIGN_IN_PASSKEY = 'mutation ($r: String!) { signInWithPasskey(response: $r) { accessToken user { username } } }';
const SECOND_OPTIONS = 'mutation ($ch: String!) { passkeySecondFactorOptions(challenge: $ch) }';
const SECOND_PASSKEY = 'mutation ($ch: String!, $r: String!) { signInSecondFactorWithPasskey(challenge: $ch, response: $r) { accessToken user { username } } }';
const REAUTH_OPTIONS = 'mutation { passkeyReauthenticationOptions }';
const REAUTH = 'mutation ($r: String!) { reauthenticate(passkeyResponse: $r) }';
const STEP_UP_S = 2;

let app: TestApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

type Ok<K extends string, T> = GraphQLResponse<Record<K, T>>;

async function addPasskey(url: string, token: string, authenticator: SoftAuthenticator, name = 'Laptop') {
  const options = await gql<{ passkeyRegistrationOptions: string }>(url, REG_OPTIONS, {}, token);
  expect(options.errors).toBeUndefined();
  const { response } = authenticator.register(options.data!.passkeyRegistrationOptions);
  const added: Ok<'addPasskey', { id: string; name: string; lastUsedAt: string | null }> = await gql(url, ADD, { r: response, n: name }, token);
  expect(added.errors).toBeUndefined();
  return added.data!.addPasskey;
}

async function signInOptions(url: string, username?: string): Promise<string> {
  const options = await gql<{ passkeySignInOptions: string }>(url, SIGN_IN_OPTIONS, username === undefined ? {} : { u: username });
  expect(options.errors).toBeUndefined();
  return options.data!.passkeySignInOptions;
}

async function passwordStep(url: string, username: string): Promise<{ challenge: string; methods: unknown }> {
  const response = await gql(url, SIGN_IN, { username, password: PASSWORD });
  expect(errorCodes(response)).toEqual(['SECOND_FACTOR_REQUIRED']);
  const { challenge, methods } = response.errors![0]!.extensions!;
  return { challenge: challenge as string, methods };
}

describe('passkeys', () => {
  it('are added with a fresh proof, then sign in without a password, usernameless or with a username, each answer once', async () => {
    app = await startTestApp();
    const url = app.httpUrl;
    const origin = new URL(url).origin;
    const alice = await signUp(url, 'alice', PASSWORD);
    const authenticator = new SoftAuthenticator(origin);

    // Only a signed-in user asks for registration options; an answer for someone else's session does not add.
    expect(errorCodes(await gql(url, REG_OPTIONS))).toEqual(['UNAUTHENTICATED']);
    const passkey = await addPasskey(url, alice.accessToken, authenticator, '  My   laptop ');
    expect(passkey).toMatchObject({ name: 'My laptop', lastUsedAt: null });
    const bob = await signUp(url, 'bob', PASSWORD);
    const forAlice = await gql<{ passkeyRegistrationOptions: string }>(url, REG_OPTIONS, {}, alice.accessToken);
    const stolen = new SoftAuthenticator(origin).register(forAlice.data!.passkeyRegistrationOptions).response;
    expect(errorCodes(await gql(url, ADD, { r: stolen, n: 'x' }, bob.accessToken))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(url, ADD, { r: '{"id":1}', n: 'x' }, alice.accessToken))).toEqual(['BAD_USER_INPUT']);
    // The options exclude the passkey already added (same authenticator twice).
    const again = JSON.parse((await gql<{ passkeyRegistrationOptions: string }>(url, REG_OPTIONS, {}, alice.accessToken)).data!.passkeyRegistrationOptions) as { excludeCredentials: unknown[]; authenticatorSelection: { residentKey: string } };
    expect(again.excludeCredentials).toHaveLength(1);
    expect(again.authenticatorSelection.residentKey).toBe('required');

    // Usernameless: any passkey the browser holds.
    const anyOptions = await signInOptions(url);
    expect((JSON.parse(anyOptions) as { allowCredentials?: unknown[] }).allowCredentials ?? []).toEqual([]);
    const answer = authenticator.assert(anyOptions);
    const signedIn: Ok<'signInWithPasskey', { accessToken: string; user: { username: string } }> = await gql(url, SIGN_IN_PASSKEY, { r: answer });
    expect(signedIn.data?.signInWithPasskey.user.username).toBe('alice');
    // The same answer again: its challenge is spent.
    expect(errorCodes(await gql(url, SIGN_IN_PASSKEY, { r: answer }))).toEqual(['UNAUTHENTICATED']);

    // With a username: that account's passkeys; an unknown name or one without passkeys looks alike.
    const withName = JSON.parse(await signInOptions(url, 'Alice')) as { allowCredentials: { id: string }[] };
    expect(withName.allowCredentials.map((c) => c.id)).toEqual([authenticator.credentials[0]!.id.toString('base64url')]);
    const unknown = JSON.parse(await signInOptions(url, 'nobody')) as { allowCredentials: { id: string }[] };
    const noPasskeys = JSON.parse(await signInOptions(url, 'bob')) as { allowCredentials: { id: string }[] };
    expect(unknown.allowCredentials).toHaveLength(1);
    expect(noPasskeys.allowCredentials).toHaveLength(1);
    expect((JSON.parse(await signInOptions(url, 'nobody')) as { allowCredentials: unknown[] }).allowCredentials).toEqual(unknown.allowCredentials); // stable, like a real one
    const named: Ok<'signInWithPasskey', AuthResult> = await gql(url, SIGN_IN_PASSKEY, { r: authenticator.assert(JSON.stringify(withName)) });
    expect(named.data?.signInWithPasskey.user.username).toBe('alice');

    // The passkey's use shows, and it can be renamed by its owner only.
    const listed: Ok<'passkeys', { id: string; name: string; lastUsedAt: string | null }[]> = await gql(url, LIST, {}, alice.accessToken);
    expect(listed.data?.passkeys).toHaveLength(1); // the second is added below
    expect(listed.data?.passkeys[0]?.lastUsedAt).not.toBeNull();
    expect(errorCodes(await gql(url, RENAME, { id: passkey.id, n: 'Mine' }, bob.accessToken))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(url, RENAME, { id: passkey.id, n: ' ' }, alice.accessToken))).toEqual(['BAD_USER_INPUT']);
    // An authenticator that counts nothing (as many platform ones): only the used-up challenge stops a replay.
    const quiet = new SoftAuthenticator(origin, true, false);
    await addPasskey(url, alice.accessToken, quiet, 'Phone');
    const quietAnswer = quiet.assert(await signInOptions(url));
    expect((await gql(url, SIGN_IN_PASSKEY, { r: quietAnswer })).errors).toBeUndefined();
    expect(errorCodes(await gql(url, SIGN_IN_PASSKEY, { r: quietAnswer }))).toEqual(['UNAUTHENTICATED']);
    expect((await gql(url, RENAME, { id: passkey.id, n: 'Work laptop' }, alice.accessToken)).data).toEqual({ renamePasskey: { id: passkey.id, name: 'Work laptop' } });
  }, 60_000);

  it('is the second factor after a password, bound to that attempt and that account', async () => {
    app = await startTestApp();
    const url = app.httpUrl;
    const origin = new URL(url).origin;
    const alice = await signUp(url, 'alice', PASSWORD);
    const bob = await signUp(url, 'bob', PASSWORD);
    const alicesKey = new SoftAuthenticator(origin);
    const bobsKey = new SoftAuthenticator(origin);
    await addPasskey(url, alice.accessToken, alicesKey);
    await addPasskey(url, bob.accessToken, bobsKey);

    const first = await passwordStep(url, 'alice');
    expect(first.methods).toEqual(['passkey']);
    const options = (await gql<{ passkeySecondFactorOptions: string }>(url, SECOND_OPTIONS, { ch: first.challenge })).data!.passkeySecondFactorOptions;
    // Bob's passkey, answering Alice's attempt, reads like any failure.
    const bobsAnswer = bobsKey.assert(options, bobsKey.credentials[0]);
    const refused = await gql(url, SECOND_PASSKEY, { ch: first.challenge, r: bobsAnswer });
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    const unknownKey = new SoftAuthenticator(origin);
    unknownKey.register(JSON.stringify({ challenge: 'x', rp: {}, user: { id: 'nobody' } }));
    const unknownRefused = await gql(url, SECOND_PASSKEY, { ch: first.challenge, r: unknownKey.assert(options, unknownKey.credentials[0]) });
    expect(unknownRefused.errors?.[0]?.message).toBe(refused.errors?.[0]?.message);

    // An answer made for one attempt does not finish another.
    const second = await passwordStep(url, 'alice');
    const forFirst = alicesKey.assert(options);
    expect(errorCodes(await gql(url, SECOND_PASSKEY, { ch: second.challenge, r: forFirst }))).toEqual(['UNAUTHENTICATED']);
    // Nor is a second-factor answer a sign-in on its own.
    expect(errorCodes(await gql(url, SIGN_IN_PASSKEY, { r: alicesKey.assert(options) }))).toEqual(['UNAUTHENTICATED']);
    const done: Ok<'signInSecondFactorWithPasskey', AuthResult> = await gql(url, SECOND_PASSKEY, { ch: first.challenge, r: alicesKey.assert(options) });
    expect(done.data?.signInSecondFactorWithPasskey.user.username).toBe('alice');

    // Present but not verified (no PIN): enough after a password, not as the whole sign-in.
    alicesKey.userVerified = false;
    const third = await passwordStep(url, 'alice');
    const thirdOptions = (await gql<{ passkeySecondFactorOptions: string }>(url, SECOND_OPTIONS, { ch: third.challenge })).data!.passkeySecondFactorOptions;
    expect((await gql(url, SECOND_PASSKEY, { ch: third.challenge, r: alicesKey.assert(thirdOptions) })).errors).toBeUndefined();
    expect(errorCodes(await gql(url, SIGN_IN_PASSKEY, { r: alicesKey.assert(await signInOptions(url)) }))).toEqual(['UNAUTHENTICATED']);
  }, 60_000);

  it('proves it is you for step-up; removing one needs that proof, and a removed passkey no longer signs in', async () => {
    app = await startTestApp({ STEP_UP_MAX_AGE: `${STEP_UP_S}s` });
    const url = app.httpUrl;
    const alice = await signUp(url, 'alice', PASSWORD);
    const authenticator = new SoftAuthenticator(new URL(url).origin);
    const passkey = await addPasskey(url, alice.accessToken, authenticator);
    await sleep(STEP_UP_S * 1000 + 300);

    expect(errorCodes(await gql(url, REMOVE, { id: passkey.id }, alice.accessToken))).toEqual(['STEP_UP_REQUIRED']);
    expect(errorCodes(await gql(url, REG_OPTIONS, {}, alice.accessToken))).toEqual(['STEP_UP_REQUIRED']);
    const options = (await gql<{ passkeyReauthenticationOptions: string }>(url, REAUTH_OPTIONS, {}, alice.accessToken)).data!.passkeyReauthenticationOptions;
    // A step-up answer is not a sign-in, and a sign-in answer is not a step-up.
    expect(errorCodes(await gql(url, SIGN_IN_PASSKEY, { r: authenticator.assert(options) }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(url, REAUTH, { r: authenticator.assert(await signInOptions(url)) }, alice.accessToken))).toEqual(['BAD_USER_INPUT']);
    const answer = authenticator.assert(options);
    expect((await gql(url, REAUTH, { r: answer }, alice.accessToken)).data).toEqual({ reauthenticate: true });
    expect(errorCodes(await gql(url, REAUTH, { r: answer }, alice.accessToken))).toEqual(['BAD_USER_INPUT']); // replayed
    expect((await gql(url, REMOVE, { id: passkey.id }, alice.accessToken)).data).toEqual({ removePasskey: true });
    expect(errorCodes(await gql(url, REMOVE, { id: passkey.id }, alice.accessToken))).toEqual(['NOT_FOUND']);

    expect(errorCodes(await gql(url, SIGN_IN_PASSKEY, { r: authenticator.assert(await signInOptions(url)) }))).toEqual(['UNAUTHENTICATED']);
    // No passkey left: the password alone signs in again.
    expect((await gql<{ signIn: AuthResult }>(url, SIGN_IN, { username: 'alice', password: PASSWORD })).data?.signIn.user.username).toBe('alice');
  }, 60_000);

  it('refuses an authenticator whose signature counter went back (a clone), and lists what happened in the audit trail', async () => {
    app = await startTestApp();
    const url = app.httpUrl;
    const alice = await signUp(url, 'alice', PASSWORD);
    const authenticator = new SoftAuthenticator(new URL(url).origin);
    await addPasskey(url, alice.accessToken, authenticator);
    expect((await gql(url, SIGN_IN_PASSKEY, { r: authenticator.assert(await signInOptions(url)) })).errors).toBeUndefined();
    expect((await gql(url, SIGN_IN_PASSKEY, { r: authenticator.assert(await signInOptions(url)) })).errors).toBeUndefined();
    const credential = authenticator.credentials[0]!;
    credential.counter -= 2; // the clone is one use behind the original
    expect(errorCodes(await gql(url, SIGN_IN_PASSKEY, { r: authenticator.assert(await signInOptions(url)) }))).toEqual(['UNAUTHENTICATED']);

    const audit = await app.services.store.audit.query({}, { first: 50 });
    const actions = audit.items.map((e) => `${e.action}:${e.result}`);
    expect(actions).toContain('user.passkeyAdded:ok');
    expect(actions).toContain('user.passkeyUsed:ok');
    expect(audit.items.some((e) => e.action === 'user.signIn' && e.result === 'failed' && e.detail?.includes('signature counter went back'))).toBe(true);
  }, 60_000);
});
