/**
 * Sign-out goes through the api's cookie endpoints (the refresh token is an HttpOnly cookie the
 * app never sees), and nothing about the account's locks stays cached on the device.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Request } from './api-client';
import { clearBrowserStores, clearCachedData } from './cached-data';
import type { FetchLike } from './graphql-http';
import type { LiveClient } from './live-client';
import { LocksStore } from './locks-store';
import { SessionManager } from './session';
import { parseSession, readSession, writeSession, type Session } from './session-store';

const SESSION: Session = { accessToken: 'access-1', expiresAt: Date.now() + 3_600_000, user: { id: 'u1', username: 'alice', role: 'USER' } };

function recordingFetch(answer: (url: string) => { status: number; body: unknown } = () => ({ status: 200, body: { ok: true } })) {
  const sent: { url: string; authorization: string | undefined; credentials: RequestCredentials | undefined }[] = [];
  const fetch: FetchLike = (url, init) => {
    sent.push({ url, authorization: (init.headers as Record<string, string>).authorization, credentials: init.credentials });
    const { status, body } = answer(url);
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  };
  return { fetch, sent };
}

function cacheLocks() {
  localStorage.setItem('smartlock.locks.u1', JSON.stringify([{ deviceId: 'door', name: 'Front door' }]));
  localStorage.setItem('smartlock.activity.u1', '[]');
  localStorage.setItem('smartlock.pref.theme', 'dark');
  localStorage.setItem('other-app', 'kept');
}

beforeEach(() => {
  localStorage.clear();
});

describe('sign-out with the refresh cookie', () => {
  it('signs out through POST /auth/sign-out and forgets the cached locks', async () => {
    writeSession(localStorage, SESSION);
    cacheLocks();
    const { fetch, sent } = recordingFetch();
    const clearStores = vi.fn(() => Promise.resolve());
    const sessions = new SessionManager({ fetch, storage: localStorage, autoRefresh: false, clearBrowserStores: clearStores });
    await sessions.signOut();
    expect(sent).toEqual([{ url: '/auth/sign-out', authorization: undefined, credentials: 'same-origin' }]);
    expect(sessions.current()).toBeNull();
    expect(Object.keys(localStorage).sort()).toEqual(['other-app', 'smartlock.pref.theme']);
    expect(clearStores).toHaveBeenCalledOnce();
  });

  it('signs out everywhere through POST /auth/sign-out-everywhere with the access token, then forgets the cache', async () => {
    writeSession(localStorage, SESSION);
    cacheLocks();
    const { fetch, sent } = recordingFetch();
    const sessions = new SessionManager({ fetch, storage: localStorage, autoRefresh: false });
    await sessions.signOutEverywhere();
    expect(sent).toEqual([{ url: '/auth/sign-out-everywhere', authorization: 'Bearer access-1', credentials: 'same-origin' }]);
    expect(sessions.current()).toBeNull();
    expect(localStorage.getItem('smartlock.locks.u1')).toBeNull();
  });

  it('keeps the session and the cache when signing out everywhere fails', async () => {
    writeSession(localStorage, SESSION);
    cacheLocks();
    const { fetch } = recordingFetch(() => ({ status: 503, body: { errors: [{ message: 'Storage unavailable', extensions: { code: 'STORAGE_UNAVAILABLE' } }] } }));
    const sessions = new SessionManager({ fetch, storage: localStorage, autoRefresh: false });
    await expect(sessions.signOutEverywhere()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(sessions.current()?.accessToken).toBe('access-1');
    expect(localStorage.getItem('smartlock.locks.u1')).not.toBeNull();
  });

  it('forgets the cache when a refresh is refused (e.g. signed out everywhere from another device)', async () => {
    writeSession(localStorage, { ...SESSION, expiresAt: Date.now() - 1000 });
    cacheLocks();
    const { fetch } = recordingFetch(() => ({ status: 401, body: { errors: [{ message: 'Your session has ended.', extensions: { code: 'UNAUTHENTICATED' } }] } }));
    const sessions = new SessionManager({ fetch, storage: localStorage, autoRefresh: false });
    await expect(sessions.refresh()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(localStorage.getItem('smartlock.locks.u1')).toBeNull();
  });

  it('follows a sign-out in another tab by forgetting the cache here too', () => {
    writeSession(localStorage, SESSION);
    const sessions = new SessionManager({ fetch: recordingFetch().fetch, storage: localStorage, autoRefresh: false });
    cacheLocks();
    localStorage.removeItem('smartlock.session');
    sessions.handleStorage({ key: 'smartlock.session' });
    expect(sessions.current()).toBeNull();
    expect(localStorage.getItem('smartlock.locks.u1')).toBeNull();
  });

  it('drops a refresh token stored by an older version of the app', () => {
    localStorage.setItem('smartlock.session', JSON.stringify({ ...SESSION, refreshToken: 'old-refresh-token' }));
    const sessions = new SessionManager({ fetch: recordingFetch().fetch, storage: localStorage, autoRefresh: false });
    expect(sessions.current()?.accessToken).toBe('access-1');
    expect(localStorage.getItem('smartlock.session')).not.toContain('old-refresh-token');
    expect(parseSession(localStorage.getItem('smartlock.session'))).toEqual(SESSION);
  });
});

describe('the locks cache', () => {
  it('is not written back by an answer that lands after sign-out', async () => {
    writeSession(localStorage, SESSION);
    let answer: (value: unknown) => void = () => undefined;
    const request = (() => new Promise<unknown>((resolve) => (answer = resolve))) as Request;
    const live = { subscribe: () => () => undefined, onMissedEvents: () => () => undefined } as unknown as LiveClient;
    const store = new LocksStore({ request, live, storage: localStorage, userId: 'u1' });
    const loading = store.load();
    writeSession(localStorage, null); // signed out while the query was in flight
    clearCachedData(localStorage);
    answer({ locks: [{ deviceId: 'door', name: 'Front door' }] });
    await loading;
    expect(store.getState().locks).toHaveLength(1);
    expect(localStorage.getItem('smartlock.locks.u1')).toBeNull();
    expect(readSession(localStorage)).toBeNull();
  });

  it('clears IndexedDB databases and runtime caches but keeps the precached app shell', async () => {
    const deleted: string[] = [];
    const cachesDeleted: string[] = [];
    await clearBrowserStores({
      indexedDB: {
        databases: () => Promise.resolve([{ name: 'smartlock-activity', version: 1 }, { name: 'workbox-expiration', version: 1 }]),
        deleteDatabase: (name: string) => {
          deleted.push(name);
          return {} as IDBOpenDBRequest;
        },
      },
      caches: {
        keys: () => Promise.resolve(['workbox-precache-v2-http://x/', 'graphql-answers']),
        delete: (name: string) => {
          cachesDeleted.push(name);
          return Promise.resolve(true);
        },
      },
    });
    expect(deleted).toEqual(['smartlock-activity']);
    expect(cachesDeleted).toEqual(['graphql-answers']);
  });
});
