/** Everything the app talks to, built once at start-up and handed down through context. */
import { createRequest, type Request } from './api-client';
import { unsubscribeBrowser } from './browser-push';
import { clearBrowserStores } from './cached-data';
import { Connectivity } from './connectivity';
import { createLiveClient, socketUrl, type LiveClient } from './live-client';
import { SessionManager } from './session';
import { StepUpGate } from './step-up';

export interface AppServices {
  session: SessionManager;
  connectivity: Connectivity;
  request: Request;
  live: LiveClient;
  storage: Storage;
  /** Password confirmations the api asks for (STEP_UP_REQUIRED); the app's <StepUpDialog> answers them. */
  stepUp: StepUpGate;
}

export function createBrowserServices(): AppServices {
  const fetchFn = window.fetch.bind(window);
  const storage = window.localStorage;
  const locks = 'locks' in navigator ? navigator.locks : undefined;
  const stores = { indexedDB: 'indexedDB' in window ? window.indexedDB : undefined, caches: 'caches' in window ? window.caches : undefined };
  // Signed out, this browser gets no more pushes: the api drops the session's subscriptions, and
  // the browser's own subscription goes too (so the next person to sign in here starts afresh).
  const forget = async () => void (await Promise.all([clearBrowserStores(stores), unsubscribeBrowser()]));
  const session = new SessionManager({ fetch: fetchFn, storage, locks, clearBrowserStores: forget });
  window.addEventListener('storage', (event) => session.handleStorage(event));
  const connectivity = new Connectivity(window);
  const stepUp = new StepUpGate();
  const live = createLiveClient(session, connectivity, socketUrl(window.location));
  const request = createRequest(session, connectivity, fetchFn, stepUp, live);
  return { session, connectivity, request, live, storage, stepUp };
}
