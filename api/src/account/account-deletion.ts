/**
 * "Delete my account" (GDPR article 17). What goes: the user row, their sessions, push
 * subscriptions, recovery email address and recovery link, the shares they held, and locks (each removed as `removeLock` does: commands, settings, diagnostics and
 * the broker account with it). What stays, pseudonymised: the audit trail and commands they asked
 * for on other users' locks, which other people (the locks' owners, admins) keep a right to, now
 * attributed to `deleted-<random>`; their client addresses and the names they gave locks are
 * blanked. The username is free again, and whoever takes it sees none of this history.
 * Asks for the password (checked through the sign-in throttle), and refuses to delete the only admin.
 */
import { randomBytes } from 'node:crypto';
import type { AuditService } from '../audit/audit.service.js';
import type { PasswordHasher } from '../auth/password.js';
import type { SignInThrottle } from '../auth/throttle/throttle.js';
import { BadUserInputError, ForbiddenError, TooManyAttemptsError } from '../errors/graphql-errors.js';
import type { EventBus } from '../events/events.js';
import type { LocksService } from '../locks/locks.service.js';
import type { Store } from '../store/ports.js';
import type { AuditRecord, UserRecord } from '../store/records.js';

export interface AccountDeletionDeps {
  store: Store;
  hasher: PasswordHasher;
  throttle: SignInThrottle;
  locks: LocksService;
  audit: AuditService;
  events: EventBus;
}

/** Entries whose detail is the person's own text or address, not a fact others need. */
const PERSONAL_DETAIL = new Set(['user.signIn', 'user.signUp', 'lock.register', 'lock.rename', 'lock.remove']);
const BATCH = 500;

/** `text` with `username` replaced where it stands as a whole name (usernames are [a-z0-9._-]). */
export function replaceName(text: string, username: string, pseudonym: string): string {
  const escaped = username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![a-z0-9._-])${escaped}(?![a-z0-9._-])`, 'g'), pseudonym);
}

export function pseudonymised(entry: AuditRecord, username: string, pseudonym: string): { actor: string | null; detail: string | null } {
  const own = entry.actor === username;
  const actor = own ? pseudonym : entry.actor;
  if (entry.detail === null) return { actor, detail: null };
  if (own && PERSONAL_DETAIL.has(entry.action)) return { actor, detail: null };
  return { actor, detail: replaceName(entry.detail, username, pseudonym) };
}

export async function deleteAccount(deps: AccountDeletionDeps, viewer: UserRecord, password: string, clientAddress: string): Promise<string> {
  const verdict = await deps.throttle.attempt(viewer.username, clientAddress);
  if (!verdict.allowed) throw new TooManyAttemptsError(verdict.retryAfterSeconds);
  if (!(await deps.hasher.verify(password.slice(0, 1024), viewer.passwordHash))) {
    await verdict.failed();
    throw new BadUserInputError('That is not your password: nothing was deleted.', 'password');
  }
  await verdict.succeeded();
  if (viewer.role === 'ADMIN' && !(await deps.store.users.list()).some((u) => u.role === 'ADMIN' && u.id !== viewer.id)) {
    throw new ForbiddenError('You are the only admin: make another user an admin first, then delete your account.');
  }

  for (const lock of await deps.store.locks.listByOwner(viewer.username)) await deps.locks.remove(viewer, lock.deviceId);
  await deps.store.sessions.revokeAllForUser(viewer.id, new Date());
  await deps.store.push.removeByUser(viewer.id);
  // Personal data: gone with the account (SQLite would cascade; MongoDB does not).
  await deps.store.emails.remove(viewer.id);
  await deps.store.recoveryTokens.removeForUser(viewer.id);
  deps.events.publish('user.rightsChanged', { userId: viewer.id, reason: 'accountDeleted' });

  const pseudonym = `deleted-${randomBytes(4).toString('hex')}`;
  await deps.store.commands.pseudonymiseRequester(viewer.username, pseudonym);
  // Open offers to or from them go; a lock they sold keeps when it changed hands, not to whom.
  await deps.store.lockTransfers.forgetUser(viewer.username, pseudonym);
  // Shares they held go (each lock's owner and co-owners are told); those they made name the pseudonym.
  for (const share of await deps.store.lockShares.forgetUser(viewer.username, pseudonym)) {
    deps.events.publish('lock.shareChanged', { deviceId: share.deviceId, guest: share.guest, role: null });
  }
  for (let after: string | null = null; ; ) {
    const batch = await deps.store.audit.listMentioning(viewer.username, after, BATCH);
    for (const entry of batch) {
      const next = pseudonymised(entry, viewer.username, pseudonym);
      await deps.store.audit.rewrite(entry.id, next.actor, next.detail);
    }
    if (batch.length < BATCH) break;
    after = batch[batch.length - 1]!.id;
  }
  await deps.store.users.remove(viewer.id);
  await deps.audit.record({ actor: null, action: 'user.deleted', deviceId: null, result: 'ok', detail: pseudonym });
  return pseudonym;
}
