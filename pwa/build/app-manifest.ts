/**
 * The web app manifest. Colours follow the app itself (styles.css): the splash screen is the
 * page background and the title bar the header's surface, so opening the app does not flash
 * another colour. Manifests have no dark variant; index.html's theme-color metas carry one for the
 * browser chrome.
 */
import type { ManifestOptions } from 'vite-plugin-pwa';

/** styles.css `--bg` and `--surface` (light). */
export const SPLASH_BACKGROUND = '#f5f7fb';
export const TITLE_BAR = '#ffffff';

export const appManifest: Partial<ManifestOptions> = {
  // A stable identity: the app stays the same installed app if start_url ever changes.
  id: '/',
  name: 'Smartlock',
  short_name: 'Smartlock',
  description: 'Lock, unlock and watch your smart locks.',
  theme_color: TITLE_BAR,
  background_color: SPLASH_BACKGROUND,
  display: 'standalone',
  start_url: '/',
  scope: '/',
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512-maskable.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
  // Long-press on the home-screen icon (Android) or the dock (desktop).
  shortcuts: [
    { name: 'My locks', short_name: 'Locks', url: '/', icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }] },
    { name: 'Add a lock', short_name: 'Add', url: '/add', icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }] },
  ],
  // Shown by the install dialog (Chrome on Android, richer install UI on desktop). Phone-sized shots of
  // the real app (docs/screenshots, made by the e2e tests); not precached, they are for the dialog only.
  screenshots: [
    { src: '/screenshots/my-locks.png', sizes: '780x1688', type: 'image/png', form_factor: 'narrow', label: 'Your locks, live' },
    { src: '/screenshots/add-lock.png', sizes: '780x1688', type: 'image/png', form_factor: 'narrow', label: 'Adding a lock' },
    { src: '/screenshots/offline.png', sizes: '780x1688', type: 'image/png', form_factor: 'narrow', label: 'The last known state, offline' },
  ],
};
