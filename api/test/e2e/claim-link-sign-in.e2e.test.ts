/**
 * A QR link (/claim#<code>) opened while signed out, in Chromium: the app sends the person to sign
 * in (or create an account) and then lands on "Add a lock" with the code filled in. The code is a
 * secret and rides in the #fragment, which never reaches the server: the sign-in page's address must
 * not carry it (a reload would send its ?next= to the server, and its logs).
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { UnclaimedLock } from '../../src/simulator/unclaimed-lock.js';
import { signUp } from '../../src/test-support/graphql-client.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const rig = useBrowserApp();
const PASSWORD = 'correct horse battery';
const running: UnclaimedLock[] = [];

afterEach(async () => {
  for (const lock of running.splice(0)) await lock.stop();
});

async function factoryFreshCode(): Promise<string> {
  const lock = new UnclaimedLock({ brokerUrl: rig.app.brokerUrl, topicPrefix: rig.app.topics.prefix, helloEveryMs: 500 });
  running.push(lock);
  await lock.start();
  return lock.code();
}

/** Opens the QR link signed out and waits for the sign-in form; the code must not be in its address. */
async function openLinkSignedOut(page: Page, code: string): Promise<void> {
  await page.goto(`${rig.base}/claim#${code}`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: TIMEOUT });
  const signInAddress = new URL(page.url());
  expect(signInAddress.pathname).toBe('/signin');
  expect(`${signInAddress.search}${signInAddress.hash}`).not.toContain(code.slice(4, 20));
}

async function codeFieldAfterSignIn(page: Page): Promise<string> {
  await page.getByRole('heading', { level: 2, name: 'Enter the code on the box' }).waitFor({ timeout: TIMEOUT });
  return page.getByLabel('Code on the box').inputValue();
}

describe('a QR link opened while signed out', () => {
  it('keeps the code through sign-in and opens "Add a lock" with it filled in', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    await signUp(rig.app.httpUrl, 'link-carol', PASSWORD);
    const code = await factoryFreshCode();
    const page = await rig.phone();
    await openLinkSignedOut(page, code);
    await page.getByLabel('Username').fill('link-carol');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await codeFieldAfterSignIn(page)).toBe(code);
    expect(new URL(page.url()).pathname).toBe('/claim');
  });

  it('keeps the code through creating an account, and the new account claims the lock with it', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const code = await factoryFreshCode();
    const page = await rig.phone();
    await openLinkSignedOut(page, code);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill('link-dave');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await codeFieldAfterSignIn(page)).toBe(code);
    await page.getByLabel('Lock name').fill('Back door');
    await page.getByRole('button', { name: 'Add lock' }).click();
    await page.getByText('Waiting for the lock…').waitFor({ timeout: TIMEOUT });
  });

  it('keeps the code through a reload of the sign-in page and a use of its skip link', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    await signUp(rig.app.httpUrl, 'link-erin', PASSWORD);
    const code = await factoryFreshCode();
    const page = await rig.phone();
    await openLinkSignedOut(page, code);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: TIMEOUT });
    await page.keyboard.press('Tab');
    // On a loaded machine the first Tab can come before the page takes focus: wait for the skip link.
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Skip to content', undefined, { timeout: TIMEOUT });
    await page.keyboard.press('Enter'); // "Skip to content": the address's #fragment becomes #main
    await page.waitForFunction(() => location.hash === '#main', undefined, { timeout: TIMEOUT });
    expect(new URL(page.url()).hash).toBe('#main');
    await page.getByLabel('Username').fill('link-erin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await codeFieldAfterSignIn(page)).toBe(code);
  });

  it('a plain sign-in afterwards opens "My locks", not a code kept from before', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    await signUp(rig.app.httpUrl, 'link-frank', PASSWORD);
    const code = await factoryFreshCode();
    const page = await rig.phone();
    await openLinkSignedOut(page, code);
    // The person walks away from the link: the sign-in page opened by itself keeps no code.
    await page.goto(`${rig.base}/signin`);
    await page.getByLabel('Username').fill('link-frank');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
  });
});
