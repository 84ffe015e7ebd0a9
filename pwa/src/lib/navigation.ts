/** A tiny History API router: `navigate()`, a store of the current location, and a guard on leaving. */
const CHANGE = 'smartlock:navigate';

export interface Place {
  pathname: string;
  search: string;
}

/** Asked before an in-app navigation leaves the page; calls `leave` if the user agrees. */
export type LeaveGuard = (leave: () => void) => void;

let cached: Place | null = null;
let guard: { ask: LeaveGuard; at: string } | null = null;
let popSubscribers = 0;

function here(): string {
  return window.location.pathname + window.location.search;
}

export function currentPlace(): Place {
  const { pathname, search } = window.location;
  if (!cached || cached.pathname !== pathname || cached.search !== search) cached = { pathname, search };
  return cached;
}

/**
 * The browser's Back and Forward have already moved when popstate fires: a guarded page puts its
 * address back before anyone re-renders, and goes on only if the user agrees.
 */
function onPopState(): void {
  if (guard && here() !== guard.at) {
    const target = here();
    window.history.pushState(null, '', guard.at);
    guard.ask(() => go(target, {}));
    return;
  }
  window.dispatchEvent(new Event(CHANGE));
}

export function subscribePlace(listener: () => void): () => void {
  if (popSubscribers++ === 0) window.addEventListener('popstate', onPopState);
  window.addEventListener(CHANGE, listener);
  return () => {
    if (--popSubscribers === 0) window.removeEventListener('popstate', onPopState);
    window.removeEventListener(CHANGE, listener);
  };
}

/** Until the returned release is called, leaving the current address asks `ask` first. */
export function guardLeaving(ask: LeaveGuard): () => void {
  const mine = { ask, at: here() };
  guard = mine;
  return () => {
    if (guard === mine) guard = null;
  };
}

function go(to: string, options: { replace?: boolean }): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === here()) return;
  if (guard) guard.ask(() => go(to, options));
  else go(to, options);
}
