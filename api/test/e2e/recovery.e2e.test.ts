/**
 * Account recovery in Chromium (issue 14 item 4): an admin's one-time link opens "Set a new
 * password", which signs the user in; the token leaves the address bar; the same link a second
 * time is refused; "Forgot password?" without SMTP says to ask an admin.
 */
import { describe, expect, it } from 'vitest';
import { issueAdminRecoveryLink } from '../../src/auth/recovery/issue-link.js';
import { gql, SIGN_IN, signUp } from '../../src/test-support/graphql-client.js';
import { seriousViolations } from './axe.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const NEW_PASSWORD = 'plum violin harbour kettle';

const rig = useBrowserApp();

describe('recovery in the app', { timeout: 90_000 }, () => {
  it('sets a new password from an admin link and signs in; the link works once', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    await signUp(rig.app.httpUrl, 'rec-alice');
    const { store, audit } = rig.app.services;
    const link = await issueAdminRecoveryLink({ store, audit, appOrigin: rig.base }, 'rec-alice', { resetSecondFactor: false, issuedBy: 'e2e' });
    expect(link?.url).toMatch(new RegExp(`^${rig.base}/recover#`));

    const page = await rig.phone();
    await page.goto(link!.url);
    await page.getByRole('heading', { level: 1, name: 'Set a new password' }).waitFor({ timeout: TIMEOUT });
    await expect.poll(() => new URL(page.url()).hash, { timeout: TIMEOUT }).toBe('');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
    const signedIn = await gql<{ signIn: { user: { username: string } } }>(rig.app.httpUrl, SIGN_IN, { username: 'rec-alice', password: NEW_PASSWORD });
    expect(signedIn.data?.signIn.user.username).toBe('rec-alice');

    const again = await rig.phone();
    await again.goto(link!.url);
    await again.getByLabel('New password').fill('another fine passphrase here');
    await again.getByRole('button', { name: 'Set password and sign in' }).click();
    await again.getByText('This recovery link does not work').waitFor({ timeout: TIMEOUT });
  });

  it('"Forgot password?" without SMTP says to ask an admin', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await rig.phone();
    await page.goto(`${rig.base}/signin`);
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    await page.getByLabel('Username or email address').fill('rec-alice');
    await page.getByRole('button', { name: 'Send link' }).click();
    await page.getByRole('alert').filter({ hasText: 'This server cannot send email' }).waitFor({ timeout: TIMEOUT });
  });
});
