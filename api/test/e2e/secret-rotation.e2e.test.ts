/**
 * Changing a lock's secret over the air from the lock page, in real Chromium (docs/protocol.md
 * §13.3): the built app served by the real api, firmware/build/virtual-lock speaking v3. The page
 * offers the change, shows it under way, and the lock stays online and obeys under its new secret.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../src/test-support/graphql-client.js';
import { registerLock, type Registered } from '../../src/test-support/locks.js';
import { eventually } from '../../src/test-support/subscriptions.js';
import { BUILD_TIMEOUT_MS, buildVirtualLock, VirtualLock } from '../../src/test-support/virtual-lock.js';
import { seriousViolations } from './axe.js';
import { PHONE } from './browser.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const PASSWORD = 'correct horse battery';
const rig = useBrowserApp({ COMMAND_TIMEOUT_MS: '5000' });

let context: BrowserContext;
let page: Page;
let lock: VirtualLock | undefined;
let registered: Registered;
let stateDir: string | undefined;
let unbuilt: string | undefined;

beforeAll(async () => {
  if (!rig.browser) return;
  unbuilt = await buildVirtualLock();
  if (unbuilt) return;
  const app = rig.app;
  const alice = await signUp(app.httpUrl, 'alice', PASSWORD);
  registered = await registerLock(app, alice.accessToken, 'porch-door', 'Porch');
  stateDir = mkdtempSync(path.join(tmpdir(), 'smartlock-rotation-e2e-'));
  lock = new VirtualLock(app.brokerUrl, app.topics.prefix, registered, stateDir);
  await eventually(async () => ((await app.services.store.locks.findByDeviceId(registered.deviceId))?.protocolVersion === 3 ? true : null));
  context = await rig.browser.newContext(PHONE);
  page = await context.newPage();
  await rig.signIn(page, 'alice', PASSWORD);
}, BUILD_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await lock?.kill('SIGKILL');
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('the lock page changes the secret over the air', () => {
  it('offers the change, confirms it, and ends with the lock online under its new secret', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    if (unbuilt) return ctx.skip(unbuilt);
    const before = (await rig.app.services.store.locks.findByDeviceId(registered.deviceId))?.secretSealed;
    await page.goto(`${rig.base}/locks/${registered.deviceId}`);
    const change = page.getByRole('button', { name: 'Change secret over the air' });
    await change.waitFor({ timeout: TIMEOUT });
    await change.click();
    await page.getByRole('dialog', { name: 'Change the secret of Porch over the air?' }).getByRole('button', { name: 'Change', exact: true }).click();
    // The rotation ends (every step is a lock change the page follows) and the button is back.
    await eventually(async () => {
      const row = await rig.app.services.store.locks.findByDeviceId(registered.deviceId);
      return row && row.rekeyId === null && row.secretSealed !== before ? true : null;
    }, TIMEOUT);
    await change.waitFor({ timeout: TIMEOUT });
    await page.getByText('Online', { exact: true }).first().waitFor({ timeout: TIMEOUT });
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);
});
