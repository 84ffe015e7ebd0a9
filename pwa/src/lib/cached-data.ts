/**
 * What the app remembers about locks on this device (the last known list, activity), and how
 * sign-out forgets it. Every `smartlock.*` localStorage key is cached account data except the
 * session itself and `smartlock.pref.*` (device preferences, no account data). IndexedDB
 * databases and Cache Storage entries are removed too, except Workbox's precache of the app
 * shell (HTML, JS, CSS, icons: no account data) so the app still opens offline.
 */
import { SESSION_KEY } from './session-store';

const PREFIX = 'smartlock.';
const KEPT = [SESSION_KEY, 'smartlock.pref.'];

function isCachedData(key: string): boolean {
  return key.startsWith(PREFIX) && !KEPT.some((kept) => key === kept || (kept.endsWith('.') && key.startsWith(kept)));
}

/** Removes the cached account data kept in `storage` (synchronous: nothing is left after it). */
export function clearCachedData(storage: Storage): void {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i += 1) {
    const key = storage.key(i);
    if (key !== null && isCachedData(key)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}

interface BrowserStores {
  indexedDB?: Pick<IDBFactory, 'databases' | 'deleteDatabase'> | undefined;
  caches?: Pick<CacheStorage, 'keys' | 'delete'> | undefined;
}

const isAppShell = (name: string) => name.startsWith('workbox-precache');

/** Deletes the app's IndexedDB databases and runtime caches (best effort). */
export async function clearBrowserStores({ indexedDB, caches }: BrowserStores): Promise<void> {
  const jobs: Promise<unknown>[] = [];
  if (indexedDB && typeof indexedDB.databases === 'function') {
    const databases = await indexedDB.databases().catch(() => []);
    for (const { name } of databases) if (name && !name.startsWith('workbox-')) indexedDB.deleteDatabase(name);
  }
  if (caches) {
    const names = await caches.keys().catch(() => []);
    for (const name of names) if (!isAppShell(name)) jobs.push(caches.delete(name).catch(() => false));
  }
  await Promise.all(jobs);
}
