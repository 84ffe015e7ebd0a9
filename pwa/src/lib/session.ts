/**
 * Owns the session: hands out a valid access token, refreshes it shortly before expiry or after
 * the server rejected it, and ends the session when a refresh is refused.
 *
 * The refresh token is an HttpOnly cookie scoped to /auth: this code never sees it, the browser
 * sends it to POST /auth/refresh and stores the rotated one. Refresh tokens are single use and the
 * server revokes the whole family when a rotated token is reused, and every tab shares the one
 * cookie, so refreshing is single-flight: one refresh at a time in this tab (a shared promise) and
 * across tabs (a Web Lock, then re-reading localStorage in case another tab already rotated).
 *
 * When the session ends (sign-out, sign-out everywhere, a refused refresh) the lock data cached on
 * this device is removed as well (cached-data.ts).
 */
import { refreshWithCookie, signOutEverywhereWithCookie, signOutWithCookie } from './auth-http';
import { clearCachedData } from './cached-data';
import { ApiError, type FetchLike } from './graphql-http';
import { readSession, sessionFromPayload, writeSession, SESSION_KEY, type Session } from './session-store';

export type SessionEnd = 'signed-out' | 'expired';

interface WebLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface SessionManagerOptions {
  fetch: FetchLike;
  storage: Storage;
  now?: () => number;
  /** `navigator.locks` where available: serialises refreshes across tabs. */
  locks?: WebLocks | undefined;
  /** Refresh this long before the access token expires. @default 60000 */
  refreshMarginMs?: number;
  /** Schedule the proactive refresh timer. @default true */
  autoRefresh?: boolean;
  /** Removes what the browser holds beyond `storage` (IndexedDB, Cache Storage) when a session ends. */
  clearBrowserStores?: () => Promise<void>;
}

const LOCK_NAME = 'smartlock-session-refresh';

export class SessionManager {
  private session: Session | null;
  private refreshing: Promise<Session> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private readonly margin: number;
  /** Why the last session ended, for the sign-in page ("your session expired"). */
  lastEnd: SessionEnd | null = null;

  constructor(private readonly options: SessionManagerOptions) {
    this.now = options.now ?? Date.now;
    this.margin = options.refreshMarginMs ?? 60_000;
    this.session = readSession(options.storage);
    // A session stored by an older version still holds its refresh token: drop it from storage.
    if (this.session && options.storage.getItem(SESSION_KEY)?.includes('"refreshToken"')) writeSession(options.storage, this.session);
    this.schedule();
  }

  current = (): Session | null => this.session;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Starts a session after sign-in or sign-up. */
  begin(session: Session): void {
    this.lastEnd = null;
    this.set(session);
  }

  /** Updates the cached user (e.g. a role change seen through `me`). */
  updateUser(user: Session['user']): void {
    if (!this.session || this.session.user.id !== user.id) return;
    if (this.session.user.role === user.role && this.session.user.username === user.username) return;
    this.set({ ...this.session, user });
  }

  /**
   * A token to send now: refreshed first when it is about to expire. Offline, the current token
   * is returned as is (the request will fail as offline, not as signed out).
   */
  async accessToken(): Promise<string | null> {
    const session = this.session;
    if (!session) return null;
    if (session.expiresAt - this.now() > this.margin) return session.accessToken;
    try {
      return (await this.refresh(session.accessToken)).accessToken;
    } catch (error) {
      if (error instanceof ApiError) return null;
      return session.accessToken;
    }
  }

  /**
   * Trades the refresh token for a new session, once, however many callers ask at the same time.
   * `rejectedAccessToken`: the token the server just refused; when the session already moved on
   * (another caller or tab refreshed), the current session is returned without a new refresh.
   */
  refresh(rejectedAccessToken?: string): Promise<Session> {
    const session = this.session;
    if (session && rejectedAccessToken !== undefined && session.accessToken !== rejectedAccessToken && !this.expiresSoon(session)) {
      return Promise.resolve(session);
    }
    if (!this.refreshing) {
      const run = () => this.rotate();
      const locked = this.options.locks ? this.options.locks.request(LOCK_NAME, run) : run();
      this.refreshing = locked.finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  /** Ends this session here and on the server (best effort: it is over locally either way). */
  async signOut(): Promise<void> {
    const signedIn = this.session !== null;
    this.end('signed-out');
    if (signedIn) await signOutWithCookie(this.options.fetch).catch(() => undefined);
  }

  /** Ends every session of this user on every device; throws (and keeps the session) on failure. */
  async signOutEverywhere(): Promise<void> {
    const token = await this.accessToken();
    await signOutEverywhereWithCookie(this.options.fetch, token);
    this.end('signed-out');
  }

  /** Follows sign-ins, refreshes and sign-outs made in other tabs. */
  handleStorage(event: Pick<StorageEvent, 'key'>): void {
    if (event.key !== SESSION_KEY && event.key !== null) return;
    const stored = readSession(this.options.storage);
    if (stored?.accessToken === this.session?.accessToken) return;
    if (stored) this.set(stored, false);
    else this.end('signed-out', false);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.listeners.clear();
  }

  private expiresSoon(session: Session): boolean {
    return session.expiresAt - this.now() <= this.margin;
  }

  private async rotate(): Promise<Session> {
    const mine = this.session;
    if (!mine) throw new ApiError('You are signed out.', 'UNAUTHENTICATED');
    // Another tab may have rotated the token while we waited for the lock: never reuse ours.
    const stored = readSession(this.options.storage);
    if (!stored) {
      this.end('expired', false);
      throw new ApiError('You were signed out.', 'UNAUTHENTICATED');
    }
    if (stored.accessToken !== mine.accessToken) {
      this.set(stored, false);
      if (!this.expiresSoon(stored)) return stored;
    }
    const rotating = stored.accessToken;
    try {
      const next = sessionFromPayload(await refreshWithCookie(this.options.fetch));
      this.set(next);
      return next;
    } catch (error) {
      // Refused (used, expired or revoked): the session is over. A network error keeps it.
      if (error instanceof ApiError && this.session?.accessToken === rotating) this.end('expired');
      throw error;
    }
  }

  private set(session: Session, persist = true): void {
    this.session = session;
    if (persist) writeSession(this.options.storage, session);
    this.schedule();
    this.emit();
  }

  private end(reason: SessionEnd, persist = true): void {
    if (!this.session) return;
    this.session = null;
    this.lastEnd = reason;
    if (persist) writeSession(this.options.storage, null);
    this.forgetCachedData();
    this.schedule();
    this.emit();
  }

  /** Nothing about the account's locks stays on this device once its session is over. */
  private forgetCachedData(): void {
    clearCachedData(this.options.storage);
    this.options.clearBrowserStores?.().catch(() => undefined);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.session || this.options.autoRefresh === false) return;
    const token = this.session.accessToken;
    const delay = Math.max(1000, this.session.expiresAt - this.margin - this.now());
    // Browsers cap timers at ~24.8 days; tokens live minutes, but stay safe.
    this.timer = setTimeout(() => {
      this.refresh(token).catch(() => undefined);
    }, Math.min(delay, 2_000_000_000));
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
