/**
 * Attack: fail sign-ins for someone else's account from other addresses until the account is
 * locked, so its owner cannot get in (100 failures blocked the right password for up to an hour).
 * Defence: nothing locks an account. Failures are counted per account and address: an address
 * past its free failures on an account waits, longer each time and the longest while the account
 * is under attack; an address that has not been failing on the account is never held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp } from '../../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const PASSWORD = 'quiet otter under seven bridges';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({
    TRUST_PROXY: '1',
    SIGNIN_ACCOUNT_MAX_FAILURES: '10',
    SIGNIN_FREE_FAILURES: '2',
    SIGNIN_MAX_DELAY: '1h',
    SIGNIN_ADDRESS_MAX_FAILURES: '1000',
  });
  await signUp(app.httpUrl, 'owner', PASSWORD);
});
afterAll(async () => {
  await app.close();
});

function signInFrom(address: string, password: string) {
  return gql(app.httpUrl, SIGN_IN, { username: 'owner', password }, undefined, { 'x-forwarded-for': address });
}

describe('lockout as a weapon', () => {
  it('lets the owner in from an address that has not been failing, after many failures from elsewhere', async () => {
    for (let i = 0; i < 24; i++) {
      // Two per address: each attacking address stays within its free failures.
      expect(errorCodes(await signInFrom(`198.51.100.${i % 12}`, `guess number ${i}`))).toEqual(['UNAUTHENTICATED']);
    }
    expect(errorCodes(await signInFrom('192.0.2.10', PASSWORD))).toEqual([]);
    // The owner's own typo from their address does not shut them out either.
    expect(errorCodes(await signInFrom('192.0.2.11', 'a typo in it'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await signInFrom('192.0.2.11', PASSWORD))).toEqual([]);
  });

  it('keeps guessing slow: an attacking address past its free failures waits the longest delay while the account is under attack', async () => {
    const attacker = '198.51.100.200';
    for (let i = 0; i < 3; i++) expect(errorCodes(await signInFrom(attacker, `another guess ${i}`))).toEqual(['UNAUTHENTICATED']);
    const held = await signInFrom(attacker, PASSWORD);
    expect(errorCodes(held)).toEqual(['TOO_MANY_ATTEMPTS']);
    expect(held.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(3500);
    // Still not the owner's problem.
    expect(errorCodes(await signInFrom('192.0.2.12', PASSWORD))).toEqual([]);
  });
});
