/**
 * Every page fits a 320 px phone (and a 390 px one): nothing wider than the screen, a compact
 * sticky header, a clickable account menu, a reachable "Apply filters", and axe clean at 320 px.
 */
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const VIEWPORTS = [
  { width: 320, height: 568 },
  { width: 390, height: 844 },
] as const;

const rig = useBrowserApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here' });

async function newPhone(viewport: (typeof VIEWPORTS)[number]): Promise<Page> {
  if (!rig.browser) throw new Error('no browser');
  const context = await rig.browser.newContext({ viewport, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  return context.newPage();
}

/** The page is no wider than the screen, and (at 320 px) axe finds nothing serious. */
async function expectFits(page: Page, name: string): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  const { scrollWidth, innerWidth, wide } = await page.evaluate((w) => {
    // What reaches past the screen (scrolled table contents included), to say what escaped.
    const beyond = Array.from(document.querySelectorAll('body *')).filter((el) => el.getBoundingClientRect().right > w + 1);
    const wide = beyond.slice(0, 8).map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${Math.round(el.getBoundingClientRect().right)} px`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide };
  }, width);
  // A phone widens its layout viewport to fit content that is too wide, so check both.
  expect(innerWidth, `${name}: layout viewport (past the screen: ${wide.join('; ')})`).toBe(width);
  expect(scrollWidth, `${name}: document width at ${width} px (past the screen: ${wide.join('; ')})`).toBeLessThanOrEqual(width);
  if (width === 320) expect(await seriousViolations(page), `${name}: axe at 320 px`).toEqual([]);
}

async function expectCompactHeader(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  if (size?.width !== 320) return;
  const box = await page.locator('header.app-header').boundingBox();
  expect(box, `${name}: header`).not.toBeNull();
  expect(box?.height ?? Infinity, `${name}: header height at 320x${size.height}`).toBeLessThanOrEqual(size.height * 0.15);
}

describe.each(VIEWPORTS)('every page fits $width x $height', (viewport) => {
  const suffix = `w${viewport.width}`;

  it('sign-in, sign-up, my locks, add a lock, credentials, a lock page', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await newPhone(viewport);
    await page.goto(`${rig.base}/signin`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: TIMEOUT });
    await expectFits(page, 'sign-in');

    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByRole('button', { name: 'Create account' }).waitFor({ timeout: TIMEOUT });
    await expectFits(page, 'sign-up');
    await page.getByLabel('Username').fill(`fit-${suffix}`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
    await expectFits(page, 'my locks (empty)');
    await expectCompactHeader(page, 'my locks');

    // The account menu looks like a button (a border and a chevron) and says what it is.
    const summary = page.locator('.account summary');
    expect(await summary.evaluate((el) => getComputedStyle(el).borderTopStyle)).not.toBe('none');
    expect(await summary.locator('.chevron').isVisible()).toBe(true);
    expect(await summary.evaluate((el) => el.textContent)).toBe(`Account: fit-${suffix}`);
    expect(await summary.ariaSnapshot()).toContain(`Account: fit-${suffix}`);
    await summary.click();
    await page.getByRole('button', { name: 'Sign out everywhere' }).waitFor({ timeout: TIMEOUT });
    await expectFits(page, 'account menu open');
    await summary.click();

    await page.getByRole('link', { name: 'Add a lock' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add a lock' }).waitFor({ timeout: TIMEOUT });
    await expectFits(page, 'add a lock');
    await page.getByText('Register by device ID').click(); // the advanced way, below claiming by code
    await page.getByLabel('Device ID').fill(`fit-door-with-a-long-device-id-${suffix}`);
    await page.getByLabel('Name', { exact: true }).fill('Front door of the house at the end of the lane');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('will not be shown again').waitFor({ timeout: TIMEOUT });
    await page.getByRole('heading', { name: 'Provisioning file' }).waitFor({ timeout: TIMEOUT });
    await expectFits(page, 'credentials');
    // Done before the secret was copied or downloaded asks first (credentials.e2e.test.ts): it fits too.
    await page.getByRole('button', { name: 'Done' }).click();
    const leave = page.getByRole('dialog', { name: 'Leave without the secret?' });
    await leave.waitFor({ timeout: TIMEOUT });
    await expectFits(page, 'leave without the secret');
    await leave.getByRole('button', { name: 'Leave' }).click();

    const card = page.getByRole('article', { name: 'Front door of the house at the end of the lane' });
    await card.waitFor({ timeout: TIMEOUT });
    await expectFits(page, 'my locks');
    await expectCompactHeader(page, 'my locks with a lock');

    await page.goto(`${rig.base}/locks/fit-door-with-a-long-device-id-${suffix}`);
    await page.getByRole('heading', { level: 1, name: 'Front door of the house at the end of the lane' }).waitFor({ timeout: TIMEOUT });
    await expectFits(page, 'lock page');
    await expectCompactHeader(page, 'lock page');
    await page.context().close();
  });

  it('the admin page, where "Apply filters" takes a real tap and changes the results', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await newPhone(viewport);
    await rig.signIn(page, 'root', 'root password here');
    // A lock, so the admin's tables have rows (and their visually hidden labels).
    await page.getByRole('link', { name: 'Add a lock' }).click();
    await page.getByText('Register by device ID').click(); // the advanced way, below claiming by code
    await page.getByLabel('Device ID').fill(`admin-fit-${suffix}`);
    await page.getByLabel('Name', { exact: true }).fill('Back door');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('dialog', { name: 'Leave without the secret?' }).getByRole('button', { name: 'Leave' }).click();
    await page.getByRole('article', { name: 'Back door' }).first().waitFor({ timeout: TIMEOUT });
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor({ timeout: TIMEOUT });
    const entries = page.getByRole('list', { name: 'Audit log entries' }).getByRole('listitem');
    await entries.first().waitFor({ timeout: TIMEOUT });
    await page.getByRole('rowheader', { name: 'root (you)' }).waitFor({ timeout: TIMEOUT });
    await expectFits(page, 'admin');
    await expectCompactHeader(page, 'admin');

    const lines = () => entries.locator('.audit-text').allInnerTexts();
    expect((await lines()).some((text) => !text.endsWith('signed in'))).toBe(true);
    await page.getByLabel('Action').selectOption({ label: 'Sign-in' });
    // A real click: it fails if anything else (an escaped label, the header) would receive the tap.
    await page.getByRole('button', { name: 'Apply filters' }).click({ timeout: 5_000 });
    await expect.poll(async () => [...new Set(await lines())], { timeout: TIMEOUT }).toEqual(['root signed in']);
    await expectFits(page, 'admin, filtered');
    await page.context().close();
  });
});
