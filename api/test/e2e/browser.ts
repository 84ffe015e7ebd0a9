/** Debian's Chromium driven by playwright-core (a bundled browser cannot be downloaded here). */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Null (with the reason) when no browser is installed and this is not CI; CI must have one. */
export async function launchChromium(): Promise<{ browser: Browser | null; reason?: string }> {
  if (!existsSync(CHROMIUM)) {
    const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
    if (process.env.CI === 'true') throw new Error(reason);
    return { browser: null, reason };
  }
  return { browser: await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true }) };
}

/** A phone-sized context, as the app is mobile-first. */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;
