/**
 * "Your data" on the Account page in Chromium (issue 14 item 6, docs/privacy.md): the download is
 * the export of `exportMyData` as a file, and deleting the account asks the password, signs out and
 * leaves an account that no longer signs in.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN } from '../../src/test-support/graphql-client.js';
import { registerLock } from '../../src/test-support/locks.js';
import { seriousViolations } from './axe.js';
import { PHONE } from './browser.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const PASSWORD = 'correct horse battery';
const rig = useBrowserApp();

describe('Your data', () => {
  it('downloads everything kept about you, then deletes the account after the password', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await (await rig.browser.newContext({ ...PHONE, acceptDownloads: true })).newPage();
    await page.goto(`${rig.base}/`);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill('data-dora');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
    const token = (await gql<{ signIn: { accessToken: string } }>(rig.app.httpUrl, SIGN_IN, { username: 'data-dora', password: PASSWORD })).data!.signIn.accessToken;
    const lock = await registerLock(rig.app, token, 'dora-front');

    await page.goto(`${rig.base}/account`);
    await page.getByRole('heading', { level: 2, name: 'Your data' }).waitFor({ timeout: TIMEOUT });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.getByRole('button', { name: 'Download my data' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^smartlock-my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as { format: string; account: { username: string }; locks: { deviceId: string }[] };
    expect(exported).toMatchObject({ format: 'smartlock-export', account: { username: 'data-dora' } });
    expect(exported.locks.map((l) => l.deviceId)).toEqual([lock.deviceId]);

    await page.getByRole('button', { name: 'Delete my account…' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Your password').fill('not it at all');
    await page.getByRole('button', { name: 'Delete my account', exact: true }).click();
    await page.getByText('That is not your password: nothing was deleted.').waitFor({ timeout: TIMEOUT });

    await page.getByLabel('Your password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Delete my account', exact: true }).click();
    await page.getByRole('button', { name: 'Create an account' }).waitFor({ timeout: TIMEOUT }); // signed out
    expect(errorCodes(await gql(rig.app.httpUrl, SIGN_IN, { username: 'data-dora', password: PASSWORD }))).toEqual(['UNAUTHENTICATED']);
    expect(await rig.app.services.store.locks.findByDeviceId(lock.deviceId)).toBeNull();
  });
});
