/** The app's pages as data: History API paths in, a typed route out. */
export type Route =
  | { name: 'locks' }
  | { name: 'lock'; deviceId: string }
  | { name: 'add' }
  | { name: 'invite' }
  | { name: 'admin' }
  | { name: 'firmware' }
  | { name: 'account' }
  | { name: 'signin' }
  | { name: 'recover' }
  | { name: 'verify-email' }
  | { name: 'not-found' };

export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/' || path === '') return { name: 'locks' };
  // /claim#<code>: the link in a lock's QR code opens "Add a lock" with the code filled in.
  if (path === '/add' || path === '/claim') return { name: 'add' };
  // /invite#<token>: a link from a lock's owner that shares the lock (the token never reaches a server log).
  if (path === '/invite') return { name: 'invite' };
  if (path === '/admin') return { name: 'admin' };
  if (path === '/admin/firmware') return { name: 'firmware' };
  if (path === '/account') return { name: 'account' };
  if (path === '/signin') return { name: 'signin' };
  // One-time links from an admin or a mail; the token is in the fragment (never sent to a server).
  if (path === '/recover') return { name: 'recover' };
  if (path === '/verify-email') return { name: 'verify-email' };
  const lock = /^\/locks\/([^/]+)$/.exec(path);
  if (lock?.[1]) {
    try {
      return { name: 'lock', deviceId: decodeURIComponent(lock[1]) };
    } catch {
      return { name: 'not-found' };
    }
  }
  return { name: 'not-found' };
}

export function lockPath(deviceId: string): string {
  return `/locks/${encodeURIComponent(deviceId)}`;
}

/** Pages that work signed in or not: the one-time links. */
export function isPublicRoute(route: Route): boolean {
  return route.name === 'recover' || route.name === 'verify-email';
}

/** Only same-app paths may be a redirect target after sign-in (no `//evil.example`). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  const route = matchRoute(next.split(/[?#]/)[0] ?? '/');
  return route.name === 'signin' || isPublicRoute(route) ? '/' : next;
}

export function signInPath(next: string): string {
  return next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`;
}
