/**
 * Ends open WebSockets whose user's rights changed, so that no subscription outlives the rights
 * it was opened with. What is checked where:
 *
 * - per operation (websocket.ts, onSubscribe): the token (signature, expiry, version) and the
 *   role, read from the store;
 * - per event (the subscriptions' filters): ownership of what the event is about. `lock.changed`
 *   and `audit.appended` carry the owner at the time of the event; `commandUpdated` reads the
 *   lock's current owner for each update of the one command it watches;
 * - by closing the socket (here): the role and the token version, which every event would
 *   otherwise need a store read to check. Whoever changes them publishes `user.rightsChanged`
 *   (which Redis carries to the other replicas) and that user's sockets are closed with 4403 at
 *   once; the client reconnects with its current rights, or cannot if it was signed out.
 *
 * Events can be lost (Redis away) and some changes do not go through the api (the admin CLI), so
 * every socket is also re-checked against the store after a `bus.resync` and every
 * {@link RECHECK_EVERY_MS}.
 */
import type { Logger } from '../app/logger.js';
import type { EventBus, RightsChange, SessionScope } from '../events/events.js';
import { followEvents } from '../events/follow-events.js';
import type { Role, UserRecord } from '../store/records.js';

/** graphql-ws's "Forbidden": the PWA refreshes its session and reconnects (see pwa/src/lib/live-client.ts). */
export const RIGHTS_CHANGED_CLOSE = 4403;

/**
 * How often every socket is re-checked against the store without an event: one user read per
 * connected user per minute is cheap, and bounds how long a change made outside the api lasts.
 */
export const RECHECK_EVERY_MS = 60_000;

/** The rights a socket was opened with. */
export interface OpenedWith {
  userId: string;
  tokenVersion: number;
  role: Role;
  /** The session line of the token it was opened with (null for tokens that carry none). */
  sessionId: string | null;
}

/** The part of a `ws` WebSocket used here. */
export interface ClosableSocket {
  close(code: number, reason: string): void;
  once(event: 'close', listener: () => void): unknown;
}

export interface SocketRightsDeps {
  events: EventBus;
  users: { findById(id: string): Promise<UserRecord | null> };
  /** For the periodic re-check: a socket whose session line was ended closes too. */
  sessions: { isFamilyLive(familyId: string, now: Date): Promise<boolean> };
  log: Logger;
  recheckEveryMs?: number;
}

export class SocketRights {
  private readonly byUser = new Map<string, Map<ClosableSocket, OpenedWith>>();
  private readonly stopFollowing: () => Promise<void>;
  private readonly timer: NodeJS.Timeout;
  private rechecking: Promise<void> | undefined;

  constructor(private readonly deps: SocketRightsDeps) {
    this.stopFollowing = followEvents(
      deps.events,
      ['user.rightsChanged', 'bus.resync'],
      (event) => ('userId' in event ? this.closeAll(event.userId, event.reason, event.sessions) : this.recheck()),
      deps.log,
    );
    this.timer = setInterval(() => void this.recheck(), deps.recheckEveryMs ?? RECHECK_EVERY_MS);
    this.timer.unref();
  }

  /** Watches a socket until it closes. */
  track(socket: ClosableSocket, opened: OpenedWith): void {
    let sockets = this.byUser.get(opened.userId);
    if (!sockets) {
      sockets = new Map();
      this.byUser.set(opened.userId, sockets);
    }
    sockets.set(socket, opened);
    socket.once('close', () => this.untrack(socket, opened.userId));
  }

  /** Compares every socket with its user's current rights; one run at a time. */
  recheck(): Promise<void> {
    this.rechecking ??= this.recheckAll().finally(() => (this.rechecking = undefined));
    return this.rechecking;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.stopFollowing();
  }

  private untrack(socket: ClosableSocket, userId: string): void {
    const sockets = this.byUser.get(userId);
    sockets?.delete(socket);
    if (sockets?.size === 0) this.byUser.delete(userId);
  }

  private closeAll(userId: string, reason: RightsChange, scope: SessionScope | undefined): void {
    const sockets = this.byUser.get(userId);
    if (!sockets) return;
    const closing = [...sockets].filter(([, opened]) => inScope(opened.sessionId, scope)).map(([socket]) => socket);
    if (closing.length === 0) return;
    this.deps.log.info({ userId, reason, sockets: closing.length }, 'rights changed: closing the user\'s sockets');
    for (const socket of closing) close(socket);
  }

  private async sessionLive(opened: OpenedWith): Promise<boolean> {
    if (opened.sessionId === null) return true;
    try {
      return await this.deps.sessions.isFamilyLive(opened.sessionId, new Date());
    } catch (error) {
      this.deps.log.warn({ err: error, userId: opened.userId }, 'could not re-check the session of an open socket');
      return true; // the store is away: the next re-check decides
    }
  }

  private async recheckAll(): Promise<void> {
    // One at a time: a recheck of many users must not flood the store.
    for (const [userId, sockets] of [...this.byUser]) {
      let user: UserRecord | null;
      try {
        user = await this.deps.users.findById(userId);
      } catch (error) {
        this.deps.log.warn({ err: error, userId }, 'could not re-check the rights of open sockets');
        continue;
      }
      for (const [socket, opened] of [...sockets]) {
        if (!user || user.tokenVersion !== opened.tokenVersion || user.role !== opened.role || !(await this.sessionLive(opened))) close(socket);
      }
    }
  }
}

function inScope(sessionId: string | null, scope: SessionScope | undefined): boolean {
  if (!scope) return true;
  if ('only' in scope) return sessionId === scope.only;
  return sessionId !== scope.except;
}

function close(socket: ClosableSocket): void {
  socket.close(RIGHTS_CHANGED_CLOSE, 'Forbidden: your rights changed; reconnect');
}
