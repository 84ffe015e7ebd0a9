/** Everything the app talks to, built once at start-up and handed down through context. */
import { createRequest, type Request } from './api-client';
import { clearBrowserStores } from './cached-data';
import { Connectivity } from './connectivity';
import { createLiveClient, socketUrl, type LiveClient } from './live-client';
import { SessionManager } from './session';

export interface AppServices {
  session: SessionManager;
  connectivity: Connectivity;
  request: Request;
  live: LiveClient;
  storage: Storage;
}

export function createBrowserServices(): AppServices {
  const fetchFn = window.fetch.bind(window);
  const storage = window.localStorage;
  const locks = 'locks' in navigator ? navigator.locks : undefined;
  const stores = { indexedDB: 'indexedDB' in window ? window.indexedDB : undefined, caches: 'caches' in window ? window.caches : undefined };
  const session = new SessionManager({ fetch: fetchFn, storage, locks, clearBrowserStores: () => clearBrowserStores(stores) });
  window.addEventListener('storage', (event) => session.handleStorage(event));
  const connectivity = new Connectivity(window);
  const request = createRequest(session, connectivity, fetchFn);
  const live = createLiveClient(session, connectivity, socketUrl(window.location));
  return { session, connectivity, request, live, storage };
}
