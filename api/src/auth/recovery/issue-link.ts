/** Makes a user's one recovery link: a new token, stored hashed, replacing any older link. */
import type { AuditService } from '../../audit/audit.service.js';
import type { Store } from '../../store/ports.js';
import type { UserRecord } from '../../store/records.js';
import { ADMIN_LINK_TTL_MS, describeTtl, hashLinkToken, newLinkToken, recoverUrl } from './recovery-links.js';

export interface IssuedLink {
  url: string;
  expiresAt: Date;
  validFor: string;
}

export async function issueRecoveryLink(
  store: Store,
  appOrigin: string,
  user: UserRecord,
  link: { issuedBy: 'admin' | 'email'; resetSecondFactor: boolean; ttlMs: number; now: number },
): Promise<IssuedLink> {
  const token = newLinkToken();
  const createdAt = new Date(link.now);
  const expiresAt = new Date(link.now + link.ttlMs);
  await store.recoveryTokens.replace({ userId: user.id, tokenHash: hashLinkToken(token), issuedBy: link.issuedBy, resetSecondFactor: link.resetSecondFactor, createdAt, expiresAt });
  return { url: recoverUrl(appOrigin, token), expiresAt, validFor: describeTtl(link.ttlMs) };
}

/**
 * The admin CLI's link (`npm run admin -- recovery-link`): valid a day, audited with who issued it
 * for whom. Null when there is no such user.
 */
export async function issueAdminRecoveryLink(
  deps: { store: Store; audit: AuditService; appOrigin: string; now?: () => number },
  username: string,
  options: { resetSecondFactor: boolean; issuedBy: string },
): Promise<IssuedLink | null> {
  const user = await deps.store.users.findByUsername(username.trim().toLowerCase());
  if (!user) return null;
  const link = await issueRecoveryLink(deps.store, deps.appOrigin, user, {
    issuedBy: 'admin',
    resetSecondFactor: options.resetSecondFactor,
    ttlMs: ADMIN_LINK_TTL_MS,
    now: (deps.now ?? Date.now)(),
  });
  await deps.audit.record({
    actor: null,
    action: 'user.recoveryLinkIssued',
    deviceId: null,
    result: 'ok',
    detail: `${user.username}, by ${options.issuedBy} (cli), valid ${link.validFor}${options.resetSecondFactor ? ', resets the second factor' : ''}`,
  });
  return link;
}
