/**
 * Issue 9 item 10: a lock name is shown to its owner, to admins and in the audit log. Control and
 * format characters in it (NUL, CR/LF, ANSI escapes, bidi overrides, zero-width characters) let a
 * name pose as another or forge audit lines, so they are refused; what is kept is NFC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { REGISTER, registerLock } from '../../src/test-support/locks.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const RENAME = 'mutation ($d: ID!, $n: String!) { renameLock(deviceId: $d, name: $n) { name } }';

let app: TestApp;
let owner: AuthResult;
beforeAll(async () => {
  app = await startTestApp();
  owner = await signUp(app.httpUrl, 'namer');
});
afterAll(async () => {
  await app.close();
});

const SPOOFS: Record<string, string> = {
  NUL: 'Front\u0000door',
  'CR/LF (a forged second line)': 'Front door\r\nlock.remove ok',
  'ANSI escape': '\u001b[31mFront door\u001b[0m',
  'right-to-left override': 'Front \u202Erood kcab',
  'zero-width space': 'Front\u200Bdoor',
  'zero-width joiner': 'Front\u200Ddoor',
  'byte order mark': '\uFEFFFront door',
  'line separator': 'Front\u2028door',
  'lone surrogate': 'Front \uD800door',
};

describe('lock names cannot carry control or format characters', () => {
  for (const [what, name] of Object.entries(SPOOFS)) {
    it(`refuses a ${what} at registration and on rename with BAD_USER_INPUT`, async () => {
      const refused = await gql(app.httpUrl, REGISTER, { d: `spoof-${Object.keys(SPOOFS).indexOf(what)}`, n: name }, owner.accessToken);
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors?.[0]?.message).toMatch(/invisible or control characters/);
      expect(refused.errors?.[0]?.extensions?.field).toBe('name');

      const lock = await registerLock(app, owner.accessToken);
      const renamed = await gql(app.httpUrl, RENAME, { d: lock.deviceId, n: name }, owner.accessToken);
      expect(errorCodes(renamed)).toEqual(['BAD_USER_INPUT']);
      const kept = await app.services.store.locks.findByDeviceId(lock.deviceId);
      expect(kept?.name).toBe('Front door');
    });
  }

  it('stores names in NFC, so two spellings of "Café" are the same name', async () => {
    const decomposed = 'Cafe\u0301 door';
    const lock = await registerLock(app, owner.accessToken, undefined, decomposed);
    expect((await app.services.store.locks.findByDeviceId(lock.deviceId))?.name).toBe('Caf\u00e9 door');
    const renamed = await gql<{ renameLock: { name: string } }>(app.httpUrl, RENAME, { d: lock.deviceId, n: '  Cafe\u0301 back  ' }, owner.accessToken);
    expect(renamed.data?.renameLock.name).toBe('Caf\u00e9 back');
  });

  it('still accepts ordinary text in any script, with emoji and inner spaces', async () => {
    for (const name of ['Haustür', 'Входная дверь', '玄関', 'باب', 'Garage 🚗', 'Back  door']) {
      const lock = await registerLock(app, owner.accessToken, undefined, name);
      expect((await app.services.store.locks.findByDeviceId(lock.deviceId))?.name).toBe(name);
    }
  });
});
