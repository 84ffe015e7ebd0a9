/**
 * Step-up: sensitive operations need the session to have proved its password (later: a second
 * factor or a passkey) within `maxAgeMs`. Signing in sets the proof's time; a refresh keeps it as
 * it was, so a session kept alive only by refresh tokens must prove itself again
 * (`reauthenticate`). Older than that: STEP_UP_REQUIRED with the max age, which the app answers
 * with a password dialog and a retry.
 */
import { StepUpRequiredError } from '../errors/graphql-errors.js';
import type { Store } from '../store/ports.js';
import type { Viewer } from './viewer.js';

export class StepUp {
  constructor(
    private readonly store: Store,
    readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws STEP_UP_REQUIRED unless the viewer's session proved itself within the max age. */
  async require(viewer: Viewer): Promise<void> {
    const provedAt = await this.provedAt(viewer);
    if (provedAt === null || this.now() - provedAt.getTime() > this.maxAgeMs) {
      throw new StepUpRequiredError(Math.round(this.maxAgeMs / 1000));
    }
  }

  /** Records a proof made now; false when the session has ended (or its token names none). */
  async record(viewer: Viewer): Promise<boolean> {
    if (viewer.sessionId === null) return false;
    return this.store.sessions.markAuthenticated(viewer.sessionId, new Date(this.now()));
  }

  private async provedAt({ user, sessionId }: Viewer): Promise<Date | null> {
    // A token that names no session line cannot show a proof: it signs in again.
    if (sessionId === null) return null;
    const live = await this.store.sessions.listLive(user.id, new Date(this.now()));
    return live.find((session) => session.familyId === sessionId)?.authenticatedAt ?? null;
  }
}
