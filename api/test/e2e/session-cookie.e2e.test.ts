/**
 * The refresh token out of script reach, in real Chromium against the real api serving the built
 * PWA: after sign-in it is an HttpOnly cookie (not in document.cookie, localStorage or
 * sessionStorage), a reload with an expired access token keeps the session by refreshing through
 * the cookie, and sign-out / sign-out everywhere leave no cached lock data and no cookie.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signUp } from '../../src/test-support/graphql-client.js';
import { registerLock } from '../../src/test-support/locks.js';
import { PHONE } from './browser.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const COOKIE = '__Secure-smartlock-refresh';
const PASSWORD = 'correct horse battery';
const LOCK_NAME = 'Cellar door';

const rig = useBrowserApp();

async function newUserWithLock(username: string): Promise<void> {
  const { accessToken } = await signUp(rig.app.httpUrl, username, PASSWORD);
  await registerLock(rig.app, accessToken, undefined, LOCK_NAME);
}

async function signIn(page: Page, username: string): Promise<void> {
  await rig.signIn(page, username, PASSWORD);
  await page.getByRole('article', { name: LOCK_NAME }).waitFor({ timeout: TIMEOUT });
}

async function refreshCookie(context: BrowserContext) {
  return (await context.cookies(rig.base)).find((cookie) => cookie.name === COOKIE) ?? (await context.cookies(`${rig.base}/auth/refresh`)).find((cookie) => cookie.name === COOKIE);
}

/** Everything scripts on the page can read. */
async function scriptVisibleState(page: Page) {
  return page.evaluate(async () => {
    const dump = (storage: Storage) => Object.fromEntries(Array.from({ length: storage.length }, (_, i) => storage.key(i) ?? '').map((key) => [key, storage.getItem(key)]));
    const databases = typeof indexedDB.databases === 'function' ? (await indexedDB.databases()).map((db) => db.name ?? '') : [];
    const cacheEntries: Record<string, string[]> = {};
    if ('caches' in window) {
      for (const name of await caches.keys()) cacheEntries[name] = (await (await caches.open(name)).keys()).map((request) => request.url);
    }
    return { cookie: document.cookie, local: dump(localStorage), session: dump(sessionStorage), databases, cacheEntries };
  });
}

/** No lock data anywhere a script (or someone with the device) could read it. */
function expectNoCachedLockData(state: Awaited<ReturnType<typeof scriptVisibleState>>): void {
  expect(Object.keys(state.local).filter((key) => key.startsWith('smartlock.'))).toEqual([]);
  expect(JSON.stringify(state.local)).not.toContain(LOCK_NAME);
  expect(state.session).toEqual({});
  expect(state.databases.filter((name) => !name.startsWith('workbox-'))).toEqual([]);
  for (const [name, urls] of Object.entries(state.cacheEntries)) {
    expect(name).toMatch(/^workbox-precache/);
    expect(urls.filter((url) => /\/(graphql|auth)\b/.test(new URL(url).pathname))).toEqual([]);
  }
}

describe('the refresh token in Chromium', () => {
  it('is an HttpOnly cookie no script can read, and a reload refreshes through it', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    await newUserWithLock('cookie-dora');
    const context = await rig.browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, 'cookie-dora');

    const cookie = await refreshCookie(context);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/auth' });
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(29 * 86_400_000);

    const state = await scriptVisibleState(page);
    expect(state.cookie).not.toContain(COOKIE);
    expect(state.cookie).toBe('');
    const readable = JSON.stringify([state.local, state.session]);
    expect(readable).not.toContain(cookie!.value);
    expect(readable.toLowerCase()).not.toContain('refresh');
    // The app does keep the locks for offline use while signed in.
    const { user } = JSON.parse(state.local['smartlock.session'] ?? '{}') as { user: { id: string } };
    expect(state.local[`smartlock.locks.${user.id}`]).toContain(LOCK_NAME);

    // A plain reload keeps the session.
    await page.reload();
    await page.getByRole('article', { name: LOCK_NAME }).waitFor({ timeout: TIMEOUT });

    // With the access token expired, the reload must refresh through the cookie.
    await page.evaluate(() => {
      const stored = JSON.parse(localStorage.getItem('smartlock.session') ?? '{}') as { expiresAt: number };
      localStorage.setItem('smartlock.session', JSON.stringify({ ...stored, expiresAt: Date.now() - 1000 }));
    });
    const refreshed = page.waitForResponse((response) => new URL(response.url()).pathname === '/auth/refresh', { timeout: TIMEOUT });
    await page.reload();
    const response = await refreshed;
    expect(response.status()).toBe(200);
    expect(Object.keys((await response.json()) as object).sort()).toEqual(['accessToken', 'expiresAt', 'user']);
    await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
    await page.getByRole('article', { name: LOCK_NAME }).waitFor({ timeout: TIMEOUT });
    const rotated = await refreshCookie(context);
    expect(rotated?.value).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(rotated?.value).not.toBe(cookie!.value);
    const stored = JSON.parse((await page.evaluate(() => localStorage.getItem('smartlock.session'))) ?? '{}') as { expiresAt: number };
    expect(stored.expiresAt).toBeGreaterThan(Date.now());

    // Sign out: no cookie, no session, no cached lock data.
    const signedOut = page.waitForResponse((r) => new URL(r.url()).pathname === '/auth/sign-out', { timeout: TIMEOUT });
    // Sign out lives in the account menu.
    await page.locator('.account summary').click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    expect((await signedOut).status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: TIMEOUT });
    expect(await refreshCookie(context)).toBeUndefined();
    const after = await scriptVisibleState(page);
    expectNoCachedLockData(after);
    // And the old cookie is dead on the server.
    const replay = await fetch(`${rig.base}/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `${COOKIE}=${rotated!.value}` }, body: '{}' });
    expect(replay.status).toBe(401);
    await context.close();
  }, 60_000);

  it('signs out everywhere: the cookie is cleared and no lock data stays cached', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    await newUserWithLock('cookie-eve');
    const context = await rig.browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, 'cookie-eve');
    expect(await refreshCookie(context)).toBeDefined();

    await page.locator('summary', { hasText: 'cookie-eve' }).click();
    const everywhere = page.waitForResponse((r) => new URL(r.url()).pathname === '/auth/sign-out-everywhere', { timeout: TIMEOUT });
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    expect((await everywhere).status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: TIMEOUT });
    expect(await refreshCookie(context)).toBeUndefined();
    expectNoCachedLockData(await scriptVisibleState(page));
    await context.close();
  }, 60_000);

  it('does not send the cookie with a cross-site request', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    await newUserWithLock('cookie-fay');
    const context = await rig.browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, 'cookie-fay');
    const before = (await refreshCookie(context))?.value;
    // localhost is another site than 127.0.0.1: a page there (no CSP) posts to the api's refresh endpoint.
    const evilServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>evil</title>'));
    await new Promise<void>((resolve) => evilServer.listen(0, '127.0.0.1', resolve));
    const evil = await context.newPage();
    await evil.goto(`http://localhost:${(evilServer.address() as AddressInfo).port}/`);
    const sent = evil.waitForRequest((request) => new URL(request.url()).pathname === '/auth/refresh', { timeout: TIMEOUT });
    const status = await evil.evaluate(async (url) => {
      const response = await fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{}' }).catch(() => null);
      return response?.type ?? 'failed';
    }, `${rig.base}/auth/refresh`);
    expect(status).toBe('opaque');
    // SameSite=Strict: the browser did not attach the cookie to the cross-site request.
    expect((await (await sent).allHeaders()).cookie ?? '').not.toContain(COOKIE);
    expect((await refreshCookie(context))?.value).toBe(before);
    await page.reload();
    await page.getByRole('article', { name: LOCK_NAME }).waitFor({ timeout: TIMEOUT });
    await context.close();
    await new Promise((resolve) => evilServer.close(resolve));
  }, 60_000);
});

