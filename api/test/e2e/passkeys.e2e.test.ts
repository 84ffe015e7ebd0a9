/**
 * Passkeys in Chromium (issue 14 items 1 and 2), with CDP's virtual authenticator (ctap2,
 * internal, resident keys, user verification): added on the Account page, then signing in
 * without a password, as the second step after the password, and as the step-up proof that lets
 * the passkey be removed; once removed, it no longer signs in. WebAuthn does not accept an IP
 * address as relying party, so this file opens the app as http://localhost:<port> (a secure
 * context, and the RP id derived from that origin is `localhost`).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE } from './browser.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const PASSWORD = 'correct horse battery';
const STEP_UP_S = 3;
const rig = useBrowserApp({ STEP_UP_MAX_AGE: `${STEP_UP_S}s` });

async function signOut(page: Page): Promise<void> {
  await page.locator('details.account summary').click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: TIMEOUT });
}

describe('passkeys', () => {
  it('are added on the Account page, sign in without a password, finish a password sign-in, prove it is you, and stop working once removed', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const base = `http://localhost:${rig.app.port}`;
    const context = await rig.browser.newContext({ ...PHONE });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });

    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill('passkey-alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });

    // Add one (the sign-up is a fresh proof, so no step-up dialog yet).
    await page.goto(`${base}/account`);
    await page.getByLabel('Name for a new passkey').fill('Test phone');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    const list = page.getByRole('list', { name: 'Your passkeys' });
    await list.getByText('Test phone').waitFor({ timeout: TIMEOUT });
    const held = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(held.credentials).toHaveLength(1);
    expect(held.credentials[0]?.isResidentCredential).toBe(true);
    await page.getByRole('button', { name: 'Rename Test phone' }).click();
    await page.getByLabel('New name').fill('Work phone');
    await page.getByRole('button', { name: 'Save' }).click();
    await list.getByText('Work phone').waitFor({ timeout: TIMEOUT });

    // Usernameless: the browser offers the passkey it holds for this site.
    await signOut(page);
    await page.getByRole('button', { name: 'Use a passkey instead' }).click();
    await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor({ timeout: TIMEOUT });
    await list.getByText('last used').waitFor({ timeout: TIMEOUT });

    // The password now asks for the passkey too.
    await signOut(page);
    await page.getByLabel('Username').fill('passkey-alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Use my passkey' }).click();
    await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor({ timeout: TIMEOUT });

    // Step-up with the passkey: removing it needs a recent proof.
    await new Promise((resolve) => setTimeout(resolve, STEP_UP_S * 1000 + 500));
    await page.getByRole('button', { name: 'Remove Work phone' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.waitFor({ timeout: TIMEOUT });
    await dialog.getByRole('button', { name: 'Use a passkey' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: TIMEOUT });
    await list.waitFor({ state: 'detached', timeout: TIMEOUT });
    expect(await rig.app.services.store.passkeys.listByUser((await rig.app.services.store.users.findByUsername('passkey-alice'))!.id)).toEqual([]);

    // The authenticator still holds it, but the api no longer knows it.
    await signOut(page);
    await page.getByRole('button', { name: 'Use a passkey instead' }).click();
    await page.getByText('That passkey did not work here.').waitFor({ timeout: TIMEOUT });
    await context.close();
  }, 120_000);
});
