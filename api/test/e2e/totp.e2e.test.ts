/**
 * An authenticator app in Chromium (issue 14 item 1): added from the Account page with a code
 * computed in the test (RFC 6238), recovery codes shown once, and the two-step sign-in.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { totp } from '../../src/auth/totp.js';
import { nextStepCode } from '../../src/test-support/totp-codes.js';
import { PHONE } from './browser.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const PASSWORD = 'correct horse battery';
const rig = useBrowserApp();

async function passwordStep(page: Page, username: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('an authenticator app', () => {
  it('is added on the Account page, then sign-in asks for its code', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await (await rig.browser.newContext({ ...PHONE })).newPage();
    await page.goto(`${rig.base}/`);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill('totp-alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });

    await page.goto(`${rig.base}/account`);
    await page.getByRole('button', { name: 'Add an authenticator app' }).click();
    const key = page.getByLabel('Key', { exact: true });
    await key.waitFor({ timeout: TIMEOUT });
    const secret = (await key.textContent()) ?? '';
    expect(await page.getByRole('link', { name: 'this link' }).getAttribute('href')).toMatch(/^otpauth:\/\/totp\//);
    await page.getByLabel('The six-digit code the app shows').fill(totp(secret, Date.now()));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await expect.poll(() => codes.count(), { timeout: TIMEOUT }).toBe(10);
    await page.getByText('10 recovery codes left').waitFor({ timeout: TIMEOUT });

    await page.locator('details.account summary').click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: TIMEOUT });
    await passwordStep(page, 'totp-alice');
    const codeField = page.getByLabel('Code from your authenticator app');
    await codeField.waitFor({ timeout: TIMEOUT });
    await codeField.fill('000000' === totp(secret, Date.now()) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Wrong code.').waitFor({ timeout: TIMEOUT });
    await codeField.fill(nextStepCode(secret));
    await page.getByRole('button', { name: 'Continue' }).click();
    // Back where the sign-out left off, signed in.
    await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor({ timeout: TIMEOUT });
    await page.getByText('10 recovery codes left').waitFor({ timeout: TIMEOUT });
  }, 90_000);
});
