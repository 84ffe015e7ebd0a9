/**
 * The #fragment of a page that sent the person to sign in, given back once they have: a QR link
 * `/claim#<code>` opened while signed out lands on "Add a lock" with the code filled in.
 *
 * Kept in sessionStorage (this tab only, gone when it closes), not in the sign-in page's address:
 * in `?next=` a reload would send the claim code to the server (and its logs), and as the sign-in
 * page's own #fragment the "Skip to content" link (#main) would overwrite it.
 */
const KEY = 'smartlock:kept-fragment';

interface Kept {
  /** The path (and query) that asked for sign-in: the fragment goes back to that page only. */
  path: string;
  hash: string;
}

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: the person types the code instead
  }
}

/** Remembers `hash` (e.g. `#SL1-…`) for `path`, or forgets what was kept when there is none. */
export function keepFragment(path: string, hash: string): void {
  const store = storage();
  try {
    if (hash && hash !== '#') store?.setItem(KEY, JSON.stringify({ path, hash } satisfies Kept));
    else store?.removeItem(KEY);
  } catch {
    // Quota or privacy mode: the fragment is lost, as before this existed.
  }
}

/** `next` with the fragment kept for it, which is forgotten either way (it is given back once). */
export function withKeptFragment(next: string): string {
  const store = storage();
  let kept: Kept | null;
  try {
    const raw = store?.getItem(KEY);
    store?.removeItem(KEY);
    kept = raw ? (JSON.parse(raw) as Kept) : null;
  } catch {
    return next;
  }
  return kept && kept.path === next && typeof kept.hash === 'string' && kept.hash.startsWith('#') ? `${next}${kept.hash}` : next;
}
