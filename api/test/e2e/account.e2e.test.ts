/**
 * The Account page and step-up in Chromium (issue 14 items 2 and 3): the signed-in sessions with
 * "End", a password change, and the password dialog that a stale session gets before a new device
 * secret, after which the rotation goes through.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, type AuthResult } from '../../src/test-support/graphql-client.js';
import { registerLock } from '../../src/test-support/locks.js';
import { seriousViolations } from './axe.js';
import { PHONE } from './browser.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'plum violin harbour kettle';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';
const STEP_UP_S = 3;

const rig = useBrowserApp({ STEP_UP_MAX_AGE: `${STEP_UP_S}s` });

async function newPhone(browser: Browser): Promise<Page> {
  return (await browser.newContext({ ...PHONE })).newPage();
}

async function signUp(page: Page, username: string): Promise<void> {
  await page.goto(`${rig.base}/`);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
}

async function signInElsewhere(username: string, password = PASSWORD): Promise<AuthResult> {
  const response = await gql<{ signIn: AuthResult }>(rig.app.httpUrl, SIGN_IN, { username, password }, undefined, { 'user-agent': FIREFOX });
  if (!response.data?.signIn) throw new Error(JSON.stringify(response.errors));
  return response.data.signIn;
}

describe('the Account page', () => {
  it('lists the sessions, ends another one, changes the password, and is axe clean', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await newPhone(rig.browser);
    await signUp(page, 'acct-alice');
    const laptop = await signInElsewhere('acct-alice');

    await page.locator('details.account summary').click();
    await page.getByRole('link', { name: 'Sessions and password' }).click();
    await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor({ timeout: TIMEOUT });
    const rows = page.locator('[data-session-id]');
    await expect.poll(() => rows.count(), { timeout: TIMEOUT }).toBe(2);
    expect(await page.getByText('(this device)').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'End session on Firefox on Linux' }).click();
    await expect.poll(() => rows.count(), { timeout: TIMEOUT }).toBe(1);
    expect(errorCodes(await gql(rig.app.httpUrl, 'query { me { username } }', {}, laptop.accessToken))).toEqual(['UNAUTHENTICATED']);

    const phoneAgain = await signInElsewhere('acct-alice');
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed. Every other session was signed out.').waitFor({ timeout: TIMEOUT });
    await expect.poll(() => rows.count(), { timeout: TIMEOUT }).toBe(1);
    expect(errorCodes(await gql(rig.app.httpUrl, 'query { me { username } }', {}, phoneAgain.accessToken))).toEqual(['UNAUTHENTICATED']);
    expect((await signInElsewhere('acct-alice', NEW_PASSWORD)).user.username).toBe('acct-alice');
  });

  it('asks a stale session for the password before a new device secret, then rotates it', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await newPhone(rig.browser);
    await signUp(page, 'acct-bob');
    const api = await signInElsewhere('acct-bob');
    const lock = await registerLock(rig.app, api.accessToken, 'acct-bob-door', 'Back door');
    await new Promise((resolve) => setTimeout(resolve, STEP_UP_S * 1000 + 500));

    await page.goto(`${rig.base}/locks/${lock.deviceId}`);
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('button', { name: 'Rotate', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.waitFor({ timeout: TIMEOUT });
    await dialog.getByLabel('Password').fill('not my password');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.getByRole('alert').waitFor({ timeout: TIMEOUT });
    await dialog.getByLabel('Password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('will not be shown again').waitFor({ timeout: TIMEOUT });
    await dialog.waitFor({ state: 'hidden', timeout: TIMEOUT });
  });
});
