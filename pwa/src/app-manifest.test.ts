import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { matchRoute } from './lib/routes';
import { appManifest, SPLASH_BACKGROUND, TITLE_BAR } from '../build/app-manifest';

/** A file of the pwa package (this test lives in pwa/src). */
const pwaFile = (path: string) => join(dirname(fileURLToPath(import.meta.url)), '..', path);
const styles = readFileSync(pwaFile('src/styles.css'), 'utf8');

/** A custom property's value in the first block that sets it after `from`. */
function cssVariable(name: string, from = 0): string | undefined {
  return new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(styles.slice(from))?.[1];
}

/** Width x height from a PNG's IHDR chunk. */
function pngSize(path: string): string {
  const bytes = readFileSync(pwaFile(`public${path}`));
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

describe('the web app manifest', () => {
  it('has a stable id, and colours taken from the app (splash = page background, title bar = header)', () => {
    expect(appManifest.id).toBe('/');
    expect(SPLASH_BACKGROUND).toBe(cssVariable('bg'));
    expect(TITLE_BAR).toBe(cssVariable('surface'));
    expect(appManifest.background_color).toBe(SPLASH_BACKGROUND);
    expect(appManifest.theme_color).toBe(TITLE_BAR);
  });

  it("gives the browser chrome the header's colour in light and in dark mode", () => {
    const html = readFileSync(pwaFile('index.html'), 'utf8');
    const dark = styles.indexOf('prefers-color-scheme: dark');
    expect(html).toContain(`media="(prefers-color-scheme: light)" content="${TITLE_BAR}"`);
    expect(html).toContain(`media="(prefers-color-scheme: dark)" content="${cssVariable('surface', dark) ?? 'missing'}"`);
  });

  it('has shortcuts to pages the app has, and screenshots and icons whose files match their declared sizes', () => {
    expect(appManifest.shortcuts?.length).toBeGreaterThan(0);
    for (const shortcut of appManifest.shortcuts ?? []) expect(matchRoute(shortcut.url).name).not.toBe('not-found');
    expect(appManifest.screenshots?.length).toBeGreaterThan(0);
    for (const shot of appManifest.screenshots ?? []) {
      expect(shot.form_factor).toBe('narrow');
      expect(shot.label).toBeTruthy();
      expect(pngSize(shot.src)).toBe(shot.sizes);
    }
    for (const icon of appManifest.icons ?? []) expect(pngSize(icon.src)).toBe(icon.sizes);
  });
});
