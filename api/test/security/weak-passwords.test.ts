/**
 * Attack: sign up (or be given) a password from the top of every guessing list, then be guessed
 * within the sign-in throttle's allowance. Refused by estimated strength (zxcvbn-ts with its
 * common-password dictionary and the username as a known word), never by composition rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_UP } from '../../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('weak passwords at sign-up', () => {
  it.each([
    ['repeated characters', 'repeater', 'aaaaaaaaaa'],
    ['a digit run', 'counter', '1234567890'],
    ['a common password', 'commoner', 'password12'],
    ['the username twice', 'fjordhammer', 'fjordhammerfjordhammer'],
    ['a keyboard walk', 'walker', 'qwertyuiop'],
    ['a decorated common password', 'decorator', 'P@ssw0rd!!'],
  ])('refuses %s with BAD_USER_INPUT and says what to do instead', async (_what, username, password) => {
    const response = await gql(app.httpUrl, SIGN_UP, { username, password });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    const error = response.errors?.[0];
    expect(error?.message).toMatch(/^This password is too easy to guess\. .+/);
    expect(error?.extensions).toMatchObject({ field: 'password', suggestions: expect.arrayContaining([expect.any(String)]) as unknown });
    expect(await app.services.store.users.findByUsername(username)).toBeNull();
  });

  it('accepts a passphrase of plain lowercase words: no composition rules', async () => {
    for (const [username, password] of [
      ['phrase-one', 'quiet otter under seven bridges'],
      ['phrase-two', 'marmalade tuesday lantern'],
    ]) {
      const response = await gql(app.httpUrl, SIGN_UP, { username, password });
      expect(errorCodes(response)).toEqual([]);
    }
  });
});

describe('weak bootstrap admin password', () => {
  it('stops start-up with a message naming ADMIN_PASSWORD', async () => {
    await expect(startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'password123' })).rejects.toThrow(/ADMIN_PASSWORD.*too easy to guess/);
  });
});
