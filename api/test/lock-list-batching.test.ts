/**
 * A list of locks costs a fixed number of store reads, however many locks it holds: the
 * `settings` and `lastChangedBy` fields of each lock are loaded in one batch per request,
 * not one store read per lock.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/store/ports.js';
import { gql, SIGN_IN, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock } from '../src/test-support/locks.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let owner: AuthResult;
let admin: AuthResult;

beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here' });
  owner = await signUp(app.httpUrl, 'batcher');
  admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'root password here' })).data!.signIn;
});
afterAll(async () => {
  await app.close();
});

const REPOSITORIES = ['users', 'sessions', 'locks', 'commands', 'audit', 'lockSettings'] as const;

/** Counts every repository call made while `run` runs (the store is wrapped in place, then restored). */
async function countStoreCalls(store: Store, run: () => Promise<void>): Promise<number> {
  let calls = 0;
  const restore: (() => void)[] = [];
  for (const name of REPOSITORIES) {
    const repository = store[name] as unknown as Record<string, unknown>;
    for (const [method, fn] of Object.entries(repository)) {
      if (typeof fn !== 'function') continue;
      repository[method] = (...args: unknown[]) => {
        calls += 1;
        return (fn as (...a: unknown[]) => unknown).apply(repository, args);
      };
      restore.push(() => {
        repository[method] = fn;
      });
    }
  }
  try {
    await run();
  } finally {
    for (const undo of restore) undo();
  }
  return calls;
}

const SET = `mutation ($d: ID!, $s: LockSettingsInput!) { setLockSettings(deviceId: $d, settings: $s) { state } }`;
const WANTED = { autoRelockSeconds: 30, bootAction: 'STAY', lockWhileDoorOpen: 'REFUSE' };
const LIST = 'query { locks { deviceId lastChangedBy settings { deviceId autoRelockSeconds state lock { deviceId } } } }';

interface Listed {
  deviceId: string;
  lastChangedBy: string | null;
  settings: { deviceId: string; autoRelockSeconds: number; state: string; lock: { deviceId: string } } | null;
}

/** A lock with settings and a bolt last moved by a command of `by`. */
async function addLock(by: string): Promise<string> {
  const { deviceId } = await registerLock(app, owner.accessToken, `batch-${randomUUID().slice(0, 8)}`);
  expect((await gql(app.httpUrl, SET, { d: deviceId, s: WANTED }, owner.accessToken)).errors).toBeUndefined();
  const id = randomUUID();
  await app.services.store.commands.create({ id, deviceId, action: 'UNLOCK', counter: 1, requestedBy: by });
  await app.services.store.locks.update(deviceId, { lastChangeSource: 'REMOTE', lastChangedBy: id, lastChangedAt: new Date() });
  return deviceId;
}

async function listWithCount(token: string): Promise<{ calls: number; locks: Listed[] }> {
  let locks: Listed[] = [];
  const calls = await countStoreCalls(app.services.store, async () => {
    const response = await gql<{ locks: Listed[] }>(app.httpUrl, LIST, {}, token);
    expect(response.errors).toBeUndefined();
    locks = response.data!.locks;
  });
  return { calls, locks };
}

describe('a list of locks with settings and lastChangedBy', () => {
  it('reads the store as often for 6 locks as for 2 (owner and admin), and answers each lock with its own values', async () => {
    await addLock('batcher');
    await addLock('batcher');
    const few = await listWithCount(owner.accessToken);
    const fewAdmin = await listWithCount(admin.accessToken);
    expect(few.locks).toHaveLength(2);

    for (let i = 0; i < 4; i += 1) await addLock('batcher');
    const many = await listWithCount(owner.accessToken);
    const manyAdmin = await listWithCount(admin.accessToken);
    expect(many.locks).toHaveLength(6);
    expect(manyAdmin.locks).toHaveLength(6);

    for (const lock of [...many.locks, ...manyAdmin.locks]) {
      expect(lock.lastChangedBy).toBe('batcher');
      expect(lock.settings).toMatchObject({ deviceId: lock.deviceId, autoRelockSeconds: 30, state: 'NEEDS_PROTOCOL_V2', lock: { deviceId: lock.deviceId } });
    }
    expect(many.calls).toBe(few.calls);
    expect(manyAdmin.calls).toBe(fewAdmin.calls);
  });

  it('gives null for a lock with neither settings nor a known command, beside locks that have them', async () => {
    const { deviceId } = await registerLock(app, owner.accessToken, `bare-${randomUUID().slice(0, 8)}`);
    await app.services.store.locks.update(deviceId, { lastChangeSource: 'REMOTE', lastChangedBy: 'no-such-command', lastChangedAt: new Date() });
    const { locks } = await listWithCount(owner.accessToken);
    const bare = locks.find((l) => l.deviceId === deviceId);
    expect(bare).toEqual({ deviceId, lastChangedBy: null, settings: null });
    expect(locks.filter((l) => l.settings !== null).length).toBeGreaterThan(0);
  });
});
