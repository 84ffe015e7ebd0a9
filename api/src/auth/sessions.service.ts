/**
 * The signed-in user's sessions: one per session line (refresh-token family), listed with where
 * and when it was used, and ended one at a time. Ending one revokes its refresh tokens (its access
 * tokens fail the viewer's line check) and closes its open sockets on every replica.
 */
import type { AuditService } from '../audit/audit.service.js';
import type { EventBus } from '../events/events.js';
import { NotFoundError } from '../errors/graphql-errors.js';
import type { Store } from '../store/ports.js';
import type { SessionRecord } from '../store/records.js';
import { deviceName } from './device-name.js';
import type { Viewer } from './viewer.js';

export interface SessionSummary {
  /** The session line's id (the `sid` of its access tokens). */
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  device: string;
  clientAddress: string | null;
  current: boolean;
}

export class SessionsService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditService,
    /** For `user.rightsChanged` scoped to one session: its sockets close. */
    private readonly events: EventBus,
    private readonly now: () => number = Date.now,
  ) {}

  async list(viewer: Viewer): Promise<SessionSummary[]> {
    const live = await this.store.sessions.listLive(viewer.user.id, new Date(this.now()));
    return live.map((session) => summarise(session, viewer.sessionId));
  }

  /** Someone else's session, or one already ended, is NOT_FOUND alike: ids reveal nothing. */
  async end(viewer: Viewer, sessionId: string): Promise<void> {
    const live = await this.store.sessions.listLive(viewer.user.id, new Date(this.now()));
    const session = live.find((s) => s.familyId === sessionId);
    if (!session) throw new NotFoundError('Session');
    await this.store.sessions.revokeFamily(session.familyId, new Date(this.now()));
    await this.store.push.removeBySession(session.familyId);
    this.events.publish('user.rightsChanged', { userId: viewer.user.id, reason: 'sessionEnded', sessions: { only: session.familyId } });
    await this.audit.record({
      actor: viewer.user.username,
      action: 'session.end',
      deviceId: null,
      result: 'ok',
      detail: `${deviceName(session.userAgent)}${session.clientAddress ? ` from ${session.clientAddress}` : ''}${session.familyId === viewer.sessionId ? ' (this session)' : ''}`,
    });
  }
}

function summarise(session: SessionRecord, currentId: string | null): SessionSummary {
  return {
    id: session.familyId,
    createdAt: session.familyCreatedAt,
    // Each refresh writes the line's newest token, so its creation is the line's last use.
    lastUsedAt: session.createdAt,
    device: deviceName(session.userAgent),
    clientAddress: session.clientAddress,
    current: session.familyId === currentId,
  };
}
