/**
 * The credentials screen in Chromium (issue 12 item 12): the broker settings next to the secret, the
 * provisioning file (downloaded and read back), and a warning before leaving while the secret was
 * neither copied nor downloaded: in-app links, Back, Done and closing the tab.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { PHONE } from './browser.js';
import { screenshotPath, TIMEOUT, useBrowserApp } from './rig.js';

const WARNING = 'Leave without the secret?';

const rig = useBrowserApp();

/** A browser of its own per user: a context keeps the previous user's session. */
async function newPhone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ ...PHONE, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: rig.base });
  return context.newPage();
}

async function signUp(page: Page, username: string): Promise<void> {
  await page.goto(`${rig.base}/`);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
}

async function register(page: Page, deviceId: string, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Add a lock' }).click();
  await page.getByText('Register by device ID').click(); // the advanced way, below claiming by code
  await page.getByLabel('Device ID').fill(deviceId);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByText('will not be shown again').waitFor({ timeout: TIMEOUT });
}

/** The text of the <output> a definition term labels. */
function shown(page: Page, label: string) {
  return page.getByRole('status', { name: label, exact: true });
}

async function stillOnCredentials(page: Page): Promise<void> {
  await page.getByRole('dialog', { name: WARNING }).waitFor({ state: 'hidden', timeout: TIMEOUT });
  expect(new URL(page.url()).pathname).toBe('/add');
  expect(await page.getByRole('heading', { name: /^Credentials for / }).isVisible()).toBe(true);
}

describe('the credentials screen', () => {
  it('shows the broker settings, warns before leaving until the provisioning file is downloaded, and is axe clean', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await newPhone(rig.browser);
    await signUp(page, 'creds-alice');
    await register(page, 'creds-door', 'Front door');

    const plainPort = Number(new URL(rig.app.brokerUrl).port);
    await page.getByRole('heading', { name: 'Broker' }).waitFor({ timeout: TIMEOUT });
    await shown(page, 'Broker host').getByText('127.0.0.1', { exact: true }).waitFor({ timeout: TIMEOUT });
    expect(await shown(page, 'MQTT port (no TLS)').textContent()).toBe(String(plainPort));
    expect(await shown(page, 'MQTT over TLS').textContent()).toBe(`port ${String(rig.app.brokerTlsPort)}, pre-shared key from the secret`);
    expect(await shown(page, 'Topic prefix').textContent()).toBe(rig.app.topics.prefix);
    expect(await shown(page, 'Protocol version').textContent()).toBe('3');
    await page.getByText('The broker host is a guess').waitFor({ timeout: TIMEOUT });
    expect(await page.getByText('paste', { exact: false }).count()).toBe(0); // no header to paste and compile
    // Even a throwaway test secret does not belong in the repository's pictures.
    // A tall phone rather than fullPage (which stalls under mobile emulation here), so the whole card shows.
    await page.setViewportSize({ width: PHONE.viewport.width, height: 1650 });
    await page.screenshot({ path: screenshotPath('credentials.png'), mask: [page.locator('output[aria-labelledby^="credential-"]')] });
    await page.setViewportSize(PHONE.viewport);
    expect(await seriousViolations(page)).toEqual([]);

    // An in-app link asks; "Stay" keeps the secret on screen.
    await page.getByRole('link', { name: 'Locks', exact: true }).click();
    const warning = page.getByRole('dialog', { name: WARNING });
    await warning.getByText('The secret is shown only once').waitFor({ timeout: TIMEOUT });
    expect(await seriousViolations(page)).toEqual([]);
    await warning.getByRole('button', { name: 'Stay' }).click();
    await stillOnCredentials(page);

    // So does the browser's Back button, and Done.
    await page.goBack();
    await warning.waitFor({ timeout: TIMEOUT });
    expect(new URL(page.url()).pathname).toBe('/add');
    await warning.getByRole('button', { name: 'Stay' }).click();
    await stillOnCredentials(page);
    await page.getByRole('button', { name: 'Done' }).click();
    await warning.waitFor({ timeout: TIMEOUT });
    await page.keyboard.press('Escape');
    await stillOnCredentials(page);

    // Closing the tab brings up the browser's own prompt; dismissed, the page stays.
    const prompts: string[] = [];
    const dismiss = (dialog: { type(): string; dismiss(): Promise<void> }) => {
      prompts.push(dialog.type());
      void dialog.dismiss();
    };
    page.on('dialog', dismiss);
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => prompts, { timeout: TIMEOUT }).toEqual(['beforeunload']);
    expect(page.isClosed()).toBe(false);
    page.off('dialog', dismiss);

    // The provisioning file: what the lock needs, in the documented format.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.getByRole('button', { name: 'Download provisioning file' }).click()]);
    expect(download.suggestedFilename()).toBe('smartlock-creds-door.json');
    const file = JSON.parse(readFileSync(await download.path(), 'utf8')) as Record<string, unknown>;
    expect(file).toEqual({
      format: 'smartlock-provisioning',
      version: 1,
      deviceId: 'creds-door',
      secret: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      broker: { host: '127.0.0.1', port: plainPort, tlsPort: rig.app.brokerTlsPort, tls: 'psk', webSocketUrl: null },
      topicPrefix: rig.app.topics.prefix,
      protocolVersion: 3,
    });
    expect(file.secret).toBe(await shown(page, 'Device secret').textContent());
    await page.getByText('Show as text').click();
    expect(JSON.parse(await page.getByLabel('Provisioning file (smartlock-creds-door.json)').inputValue())).toEqual(file);
    expect(await seriousViolations(page)).toEqual([]);

    // Saved: leaving no longer asks.
    await page.getByRole('link', { name: 'Locks', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
    expect(await page.getByRole('dialog', { name: WARNING }).count()).toBe(0);
    await page.getByRole('article', { name: 'Front door' }).waitFor({ timeout: TIMEOUT });
    await page.context().close();
  });

  it('stops warning once the secret is copied; "Leave" goes without it', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await newPhone(rig.browser);
    await signUp(page, 'creds-bob');

    await register(page, 'creds-gate', 'Garden gate');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('dialog', { name: WARNING }).getByRole('button', { name: 'Leave' }).click();
    await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });

    await register(page, 'creds-shed', 'Shed');
    await page.getByRole('button', { name: 'Copy device secret' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await shown(page, 'Device secret').textContent());
    const prompts: string[] = [];
    page.on('dialog', (dialog) => {
      prompts.push(dialog.type());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
    expect(await page.getByRole('dialog', { name: WARNING }).count()).toBe(0);
    // Nothing is guarded any more: the tab closes without the browser's prompt.
    const closed = page.waitForEvent('close', { timeout: TIMEOUT });
    await page.close({ runBeforeUnload: true });
    await closed;
    expect(prompts).toEqual([]);
    await page.context().close();
  });
});
