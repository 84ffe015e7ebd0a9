import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCredentials, loadOrCreateAccount, registerLocks, saveCredentials, signInOrUp } from './registration.js';

const SECRET = (n: number): string => n.toString(16).padStart(2, '0').repeat(32);

/** Just enough of the api: one account table, one lock table, errors shaped like Apollo's. */
function fakeApi(): Server {
  const users = new Map<string, string>();
  const locks = new Set(['sim-2', 'sim-3']); // registered by an earlier run or by someone else
  let nextSecret = 10;
  return createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const { query, variables } = JSON.parse(raw) as { query: string; variables: Record<string, string> };
      const fail = (message: string, code: string): void => void res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
      const ok = (data: unknown): void => void res.end(JSON.stringify({ data }));
      res.setHeader('content-type', 'application/json');
      const { username = '', password = '', deviceId = '' } = variables;
      if (query.includes('signIn')) {
        if (users.get(username) === password) ok({ signIn: { accessToken: `t-${username}` } });
        else fail('Wrong username or password.', 'UNAUTHENTICATED');
      } else if (query.includes('signUp')) {
        if (users.has(username)) return fail('Username taken.', 'BAD_USER_INPUT');
        users.set(username, password);
        ok({ signUp: { accessToken: `t-${username}` } });
      } else if (req.headers.authorization !== 'Bearer t-sim-host') {
        fail('Sign in first.', 'UNAUTHENTICATED');
      } else if (locks.has(deviceId)) {
        fail('A lock with this id already exists.', 'BAD_USER_INPUT');
      } else {
        locks.add(deviceId);
        ok({ registerLock: { deviceSecret: SECRET(nextSecret++), mqttUsername: deviceId, mqttPassword: 'x', lock: { deviceId } } });
      }
    });
  });
}

let server: Server;
let endpoint: string;
let dir: string;

beforeAll(async () => {
  server = fakeApi();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  dir = mkdtempSync(join(tmpdir(), 'sim-registration-'));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('simulator registration', () => {
  it('creates the default account once, signs it up, then signs it in', async () => {
    const account = loadOrCreateAccount(dir, 'Host');
    expect(account.username).toBe('sim-host');
    expect(loadOrCreateAccount(dir, 'other')).toEqual(account);
    expect(statSync(join(dir, 'account.json')).mode & 0o777).toBe(0o600);
    expect(await signInOrUp(endpoint, account)).toBe('t-sim-host');
    expect(await signInOrUp(endpoint, account)).toBe('t-sim-host');
    await expect(signInOrUp(endpoint, { ...account, password: 'wrong-password' })).rejects.toThrow('Wrong username or password.');
  });

  it('registers new locks, reuses saved secrets of existing ones and skips the rest', async () => {
    const result = await registerLocks({ endpoint, token: 't-sim-host', count: 4, known: new Map([['sim-2', SECRET(2)]]) });
    expect(result.devices).toEqual([
      { deviceId: 'sim-1', deviceSecret: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown },
      { deviceId: 'sim-2', deviceSecret: SECRET(2) },
      { deviceId: 'sim-4', deviceSecret: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown },
    ]);
    expect(result.skipped).toEqual([{ deviceId: 'sim-3', reason: 'A lock with this id already exists.' }]);
  });

  it('merges credentials into a file only its owner can read', () => {
    const file = join(dir, 'credentials.json');
    saveCredentials(file, [{ deviceId: 'sim-1', deviceSecret: SECRET(1) }]);
    saveCredentials(file, [{ deviceId: 'sim-2', deviceSecret: SECRET(2) }]);
    expect(loadCredentials(file).map((d) => d.deviceId)).toEqual(['sim-1', 'sim-2']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadCredentials(join(dir, 'missing.json'))).toEqual([]);
  });
});
