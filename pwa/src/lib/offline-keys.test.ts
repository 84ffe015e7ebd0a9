/**
 * The offline-key cache: kept until `na`, fetched again once less than half remains (and only
 * then), kept through a lost network, dropped when the api refuses, per user, forgotten on sign-out.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { issueKey } from '../test-support/fake-ble-lock';
import type { Request } from './api-client';
import { ApiError, NetworkError, type FetchLike } from './graphql-http';
import { needsRefresh, OfflineKeyStore, offlineKeysStorageKey, refreshOfflineKey } from './offline-keys';
import { SessionManager } from './session';
import { writeSession } from './session-store';

const SECRET = Buffer.alloc(32, 7);
const HOUR = 3600;
const T0 = 1_795_760_000;

/** The api: issues an 8 h key from `now`, counting the requests. */
function api(now: () => number, answer?: () => Error) {
  const asked: unknown[] = [];
  const request = ((_document: unknown, variables: { lockId: string }) => {
    asked.push(variables);
    const failure = answer?.();
    if (failure) return Promise.reject(failure);
    const nb = Math.floor(now() / 1000);
    const issued = issueKey(SECRET, { dev: variables.lockId, uid: 'u1', act: 'LU', nb, na: nb + 8 * HOUR });
    return Promise.resolve({ issueOfflineKey: { keyId: issued.kid, deviceId: variables.lockId, capability: issued.capability, secret: issued.secret } });
  }) as Request;
  return { request, asked };
}

let clock = T0 * 1000;
const now = () => clock;

beforeEach(() => {
  localStorage.clear();
  clock = T0 * 1000;
});

describe('refreshOfflineKey', () => {
  it('fetches a key once and keeps using it while more than half of it remains', async () => {
    const store = new OfflineKeyStore(localStorage, 'u1');
    const { request, asked } = api(now);
    const first = await refreshOfflineKey(store, request, 'front', now);
    expect(first).toMatchObject({ dev: 'front', act: 'LU', nb: T0, na: T0 + 8 * HOUR });
    clock += 4 * HOUR * 1000 - 1000;
    expect(await refreshOfflineKey(store, request, 'front', now)).toEqual(first);
    expect(asked).toEqual([{ lockId: 'front' }]);
  });

  it('fetches a new key once less than half of the window remains', async () => {
    const store = new OfflineKeyStore(localStorage, 'u1');
    const { request, asked } = api(now);
    const first = await refreshOfflineKey(store, request, 'front', now);
    clock += 4 * HOUR * 1000;
    expect(first && needsRefresh(first, clock)).toBe(true);
    const second = await refreshOfflineKey(store, request, 'front', now);
    expect(asked).toHaveLength(2);
    expect(second?.kid).not.toBe(first?.kid);
    expect(store.get('front', clock)?.kid).toBe(second?.kid);
  });

  it('keeps the key held while there is no network, until it expires', async () => {
    const store = new OfflineKeyStore(localStorage, 'u1');
    let offline = false;
    const { request } = api(now, () => (offline ? new NetworkError('offline') : undefined) as Error);
    const first = await refreshOfflineKey(store, request, 'front', now);
    offline = true;
    clock += 6 * HOUR * 1000;
    expect(await refreshOfflineKey(store, request, 'front', now)).toEqual(first);
    clock += 2 * HOUR * 1000;
    expect(await refreshOfflineKey(store, request, 'front', now)).toBeNull();
    expect(localStorage.getItem(offlineKeysStorageKey('u1'))).toBeNull();
  });

  it('drops the key held when the api refuses a new one (access withdrawn, or no Bluetooth on that lock)', async () => {
    const store = new OfflineKeyStore(localStorage, 'u1');
    const answer: { refusal?: ApiError } = {};
    const { request } = api(now, () => answer.refusal as Error);
    await refreshOfflineKey(store, request, 'front', now);
    clock += 5 * HOUR * 1000;
    answer.refusal = new ApiError('No such lock.', 'NOT_FOUND');
    expect(await refreshOfflineKey(store, request, 'front', now)).toBeNull();
    expect(store.get('front', clock)).toBeNull();
  });

  it('keeps the key held through an answer that says nothing about access (server error)', async () => {
    const store = new OfflineKeyStore(localStorage, 'u1');
    const answer: { refusal?: ApiError } = {};
    const { request } = api(now, () => answer.refusal as Error);
    const first = await refreshOfflineKey(store, request, 'front', now);
    clock += 5 * HOUR * 1000;
    answer.refusal = new ApiError('Oops.', 'INTERNAL_SERVER_ERROR');
    expect(await refreshOfflineKey(store, request, 'front', now)).toEqual(first);
  });

  it('refuses a key for another lock', async () => {
    const store = new OfflineKeyStore(localStorage, 'u1');
    const issued = issueKey(SECRET, { dev: 'back', uid: 'u1', act: 'LU', nb: T0, na: T0 + HOUR });
    const request = (() => Promise.resolve({ issueOfflineKey: { keyId: issued.kid, deviceId: 'back', ...issued } })) as unknown as Request;
    expect(await refreshOfflineKey(store, request, 'front', now)).toBeNull();
    expect(localStorage.length).toBe(0);
  });
});

describe('OfflineKeyStore', () => {
  it('keeps each user’s keys apart', async () => {
    const alice = new OfflineKeyStore(localStorage, 'u1');
    await refreshOfflineKey(alice, api(now).request, 'front', now);
    expect(alice.get('front', clock)).not.toBeNull();
    expect(new OfflineKeyStore(localStorage, 'u2').get('front', clock)).toBeNull();
  });

  it('is forgotten when the user signs out', async () => {
    writeSession(localStorage, { accessToken: 'a', expiresAt: Date.now() + 3_600_000, user: { id: 'u1', username: 'alice', role: 'USER' } });
    const store = new OfflineKeyStore(localStorage, 'u1');
    await refreshOfflineKey(store, api(now).request, 'front', now);
    expect(localStorage.getItem(offlineKeysStorageKey('u1'))).not.toBeNull();
    const fetch: FetchLike = vi.fn(() => Promise.resolve(new Response('{}')));
    await new SessionManager({ fetch, storage: localStorage, autoRefresh: false }).signOut();
    expect(localStorage.getItem(offlineKeysStorageKey('u1'))).toBeNull();
    expect(store.get('front', clock)).toBeNull();
  });
});
