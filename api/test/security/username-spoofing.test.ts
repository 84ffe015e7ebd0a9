/**
 * Issue 9 item 10, a defence that already holds: usernames are shown in the audit log and as lock
 * owners, and they are 3–32 of a-z 0-9 _ . - after case folding. So no control or format character,
 * and no look-alike letter from another script, can make one username pass for another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_UP, signUp } from '../../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await signUp(app.httpUrl, 'alice');
});
afterAll(async () => {
  await app.close();
});

describe('usernames cannot pose as another', () => {
  const spoofs: [string, string][] = [
    ['a NUL', 'alice\u0000'],
    ['a line break', 'alice\nroot'],
    ['an ANSI escape', '\u001b[1malice'],
    ['a right-to-left override', 'ecila\u202E'],
    ['a zero-width space', 'ali\u200Bce'],
    ['a Cyrillic look-alike', '\u0430lice'],
    ['a decomposed accent', 'alice\u0301'],
  ];
  it.each(spoofs)('refuses %s with BAD_USER_INPUT', async (_what, username) => {
    const response = await gql(app.httpUrl, SIGN_UP, { username, password: 'correct horse battery' });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.message).toMatch(/a-z, 0-9/);
  });

  it('folds case, so ALICE is alice and is taken', async () => {
    const response = await gql(app.httpUrl, SIGN_UP, { username: 'ALICE', password: 'correct horse battery' });
    expect(response.errors?.[0]?.message).toBe('Username "alice" is taken.');
  });
});
