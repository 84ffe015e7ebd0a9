import type { Store } from '../store/ports.js';
import type { UserRecord } from '../store/records.js';
import type { AccessTokens } from './access-tokens.js';

/** Who is asking: the stored user (current role) plus when their token expires. */
export interface Viewer {
  user: UserRecord;
  tokenExpiresAt: number;
  /** The session line the token belongs to (null for older tokens). */
  sessionId: string | null;
}

export type ViewerResult = { viewer: Viewer | null; tokenRejected: boolean };

/**
 * Resolves `Bearer <jwt>` to a viewer. The role comes from the store, not the
 * token, so a demotion takes effect on the next request; a token whose version
 * is behind the user's (signed out everywhere) or whose session line was ended is rejected.
 */
export class ViewerResolver {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly store: Store,
  ) {}

  async fromAuthorization(header: unknown): Promise<ViewerResult> {
    if (header === undefined || header === null || header === '') return { viewer: null, tokenRejected: false };
    if (typeof header !== 'string') return { viewer: null, tokenRejected: true };
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    const claims = match?.[1] ? this.accessTokens.verify(match[1]) : null;
    if (!claims) return { viewer: null, tokenRejected: true };
    const user = await this.store.users.findById(claims.userId);
    if (!user || user.tokenVersion !== claims.tokenVersion) return { viewer: null, tokenRejected: true };
    // An ended session (the sessions list, a password change) takes its access tokens with it.
    if (claims.sessionId && !(await this.store.sessions.isFamilyLive(claims.sessionId, new Date()))) return { viewer: null, tokenRejected: true };
    return { viewer: { user, tokenExpiresAt: claims.expiresAt, sessionId: claims.sessionId }, tokenRejected: false };
  }
}
