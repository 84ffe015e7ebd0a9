/**
 * Guest access (issue 15 item 1; docs/sharing.md): the owner shares a lock with another user, by
 * username or an invitation link, as a CO_OWNER or a GUEST limited by an access rule; changes and
 * revokes shares at once; the lock's time zone (for weekly schedules). Rights: sharing/lock-role.ts.
 * Every change is audited on the lock (its owner sees it in the lock's history) and announced
 * (`lock.shareChanged`, and `lock.accessLost` for a holder who lost the lock).
 */
import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/audit.service.js';
import { normalizeUsername } from '../auth/credentials.js';
import { hashLinkToken, looksLikeLinkToken, newLinkToken } from '../auth/recovery/recovery-links.js';
import { BadUserInputError, NotFoundError } from '../errors/graphql-errors.js';
import type { EventBus } from '../events/events.js';
import type { LockShares } from '../locks/lock-shares.js';
import type { LocksService } from '../locks/locks.service.js';
import type { LockShareRecord, ShareInvitationRecord, ShareRole, StoredAccessRule } from '../store/lock-share-records.js';
import type { Store } from '../store/ports.js';
import type { LockRecord, UserRecord } from '../store/records.js';
import { accessRuleProblems, isTimeZone } from './access-rule.js';
import { accessOf, allows, requireRight } from './lock-role.js';
import type { ShareDirectory } from './share-directory.js';
import { announceShareChange, announceSharesEnded, endAllShares } from './share-events.js';
import { neverOpensAgain } from './share-verdict.js';

export interface SharingDeps {
  store: Store;
  locks: LocksService;
  audit: AuditService;
  events: EventBus;
  directory: ShareDirectory;
  now?: () => number;
}

export const DEFAULT_INVITATION_HOURS = 72;
export const MAX_INVITATION_HOURS = 720;

export interface IssuedInvitation {
  invitation: ShareInvitationRecord;
  /** Only here: the store keeps its SHA-256. */
  token: string;
}

function describeRule(role: ShareRole, rule: StoredAccessRule): string {
  if (role === 'CO_OWNER') return 'co-owner';
  const parts = ['guest'];
  if (rule.startsAt) parts.push(`from ${rule.startsAt.toISOString()}`);
  if (rule.endsAt) parts.push(`until ${rule.endsAt.toISOString()}`);
  for (const slot of rule.weekly) parts.push(`${slot.days.map((d) => d.slice(0, 3)).join(',')} ${slot.from}-${slot.to}`);
  return parts.join(' ');
}

export class SharingService implements LockShares {
  private readonly now: () => number;

  constructor(private readonly deps: SharingDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Owner, co-owner (read only) and admin. */
  async list(viewer: UserRecord, deviceId: string): Promise<{ lock: LockRecord; shares: LockShareRecord[] }> {
    const { lock } = await this.deps.locks.access(viewer, deviceId, 'configure');
    return { lock, shares: await this.deps.store.lockShares.listByDevice(deviceId) };
  }

  async share(viewer: UserRecord, deviceId: string, rawUsername: string, role: ShareRole, rule: StoredAccessRule): Promise<{ lock: LockRecord; share: LockShareRecord }> {
    const { lock } = await this.deps.locks.access(viewer, deviceId, 'manage');
    checkRule(rule);
    const guest = normalizeUsername(rawUsername);
    if (guest === lock.owner) throw new BadUserInputError('The lock is already theirs: share it with someone else.', 'username');
    // Sign-up already tells anyone whether a username is taken, so this reveals nothing new.
    if (!(await this.deps.store.users.findByUsername(guest))) throw new BadUserInputError(`No user is called "${guest}".`, 'username');
    const share = await this.deps.store.lockShares.put({ id: randomUUID(), deviceId, guest, role, rule, createdBy: viewer.username, at: new Date(this.now()) });
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.shareCreated', deviceId, result: 'ok', detail: `with ${guest}: ${describeRule(role, rule)}` }, lock.owner);
    this.announce(lock, share);
    return { lock, share };
  }

  /** Owner or admin; takes effect at once (a rule that never opens again drops the lock from the guest's sessions). */
  async update(viewer: UserRecord, shareId: string, role: ShareRole, rule: StoredAccessRule): Promise<{ lock: LockRecord; share: LockShareRecord }> {
    const { lock } = await this.shareFor(viewer, shareId, 'manage');
    checkRule(rule);
    const share = await this.deps.store.lockShares.update(shareId, { role, rule, at: new Date(this.now()) });
    if (!share) throw new NotFoundError(`Share "${shareId}"`);
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.shareUpdated', deviceId: lock.deviceId, result: 'ok', detail: `with ${share.guest}: ${describeRule(role, rule)}` }, lock.owner);
    this.announce(lock, share);
    if (neverOpensAgain(share, lock, new Date(this.now()))) {
      this.deps.events.publish('lock.accessLost', { deviceId: lock.deviceId, formerOwner: lock.owner, newOwner: lock.owner, reason: 'shareRevoked', at: new Date(this.now()), guests: [share.guest] });
    }
    return { lock, share };
  }

  /** Owner or admin; or the holder, leaving. */
  async revoke(viewer: UserRecord, shareId: string): Promise<void> {
    const share = await this.deps.store.lockShares.findById(shareId);
    const leaving = share?.guest === viewer.username;
    const { lock } = leaving && share ? { lock: await this.deps.locks.get(viewer, share.deviceId, 'view') } : await this.shareFor(viewer, shareId, 'manage');
    const removed = await this.deps.store.lockShares.remove(shareId);
    if (!removed) throw new NotFoundError(`Share "${shareId}"`);
    const detail = leaving ? `${removed.guest} left` : `with ${removed.guest}`;
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.shareRevoked', deviceId: lock.deviceId, result: 'ok', detail }, lock.owner);
    announceSharesEnded(this.deps, lock, [removed]);
  }

  /** Pending invitations of the lock: owner and admin. */
  async invitations(viewer: UserRecord, deviceId: string): Promise<ShareInvitationRecord[]> {
    await this.deps.locks.access(viewer, deviceId, 'manage');
    return this.deps.store.lockShares.listPendingInvitations(deviceId, new Date(this.now()));
  }

  async invite(viewer: UserRecord, deviceId: string, role: ShareRole, rule: StoredAccessRule, expiresInHours: number | undefined): Promise<IssuedInvitation> {
    const { lock } = await this.deps.locks.access(viewer, deviceId, 'manage');
    checkRule(rule);
    const hours = expiresInHours ?? DEFAULT_INVITATION_HOURS;
    if (!Number.isInteger(hours) || hours < 1 || hours > MAX_INVITATION_HOURS) {
      throw new BadUserInputError(`expiresInHours: a whole number of hours from 1 to ${MAX_INVITATION_HOURS}.`, 'expiresInHours');
    }
    const token = newLinkToken();
    const createdAt = new Date(this.now());
    const invitation = await this.deps.store.lockShares.createInvitation({
      id: randomUUID(),
      deviceId,
      tokenHash: hashLinkToken(token),
      role,
      ...rule,
      createdBy: viewer.username,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + hours * 3_600_000),
    });
    const detail = `${describeRule(role, rule)}; valid until ${invitation.expiresAt.toISOString()}`;
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.shareInvitationCreated', deviceId, result: 'ok', detail }, lock.owner);
    return { invitation, token };
  }

  async cancelInvitation(viewer: UserRecord, invitationId: string): Promise<void> {
    const invitation = await this.deps.store.lockShares.findInvitation(invitationId);
    const lock = invitation ? await this.deps.store.locks.findByDeviceId(invitation.deviceId) : null;
    const access = lock ? accessOf(viewer, lock, lock.owner === viewer.username ? null : await this.deps.store.lockShares.find(lock.deviceId, viewer.username)) : null;
    // Someone who cannot see the lock learns nothing of its invitations.
    if (!invitation || !lock || !access) throw new NotFoundError(`Invitation "${invitationId}"`);
    requireRight(lock.deviceId, access, 'manage');
    if (!(await this.deps.store.lockShares.cancelInvitation(invitationId))) {
      throw new BadUserInputError('This invitation was already used.', 'invitationId');
    }
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.shareInvitationCancelled', deviceId: lock.deviceId, result: 'ok', detail: null }, lock.owner);
  }

  /** Single use; replaces a share the viewer already holds. */
  async accept(viewer: UserRecord, token: string): Promise<{ lock: LockRecord; share: LockShareRecord }> {
    const gone = () => new BadUserInputError('This invitation is no longer valid: it was used, cancelled or has expired. Ask for a new one.', 'token');
    if (!looksLikeLinkToken(token)) throw gone();
    const invitation = await this.deps.store.lockShares.findInvitationByTokenHash(hashLinkToken(token));
    const lock = invitation ? await this.deps.store.locks.findByDeviceId(invitation.deviceId) : null;
    if (!invitation || !lock) throw gone();
    if (lock.owner === viewer.username) throw new BadUserInputError('This is your own lock: send the link to the person you want to share it with.', 'token');
    const at = new Date(this.now());
    const used = await this.deps.store.lockShares.useInvitation(invitation.id, viewer.username, at);
    if (!used) throw gone();
    const rule = { startsAt: used.startsAt, endsAt: used.endsAt, weekly: used.weekly };
    const share = await this.deps.store.lockShares.put({ id: randomUUID(), deviceId: lock.deviceId, guest: viewer.username, role: used.role, rule, createdBy: used.createdBy, at });
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.shareInvitationAccepted', deviceId: lock.deviceId, result: 'ok', detail: describeRule(used.role, rule) }, lock.owner);
    this.announce(lock, share);
    return { lock, share };
  }

  async setTimeZone(viewer: UserRecord, deviceId: string, rawTimeZone: string): Promise<LockRecord> {
    const before = await this.deps.locks.get(viewer, deviceId, 'configure');
    const timeZone = rawTimeZone.trim();
    if (!isTimeZone(timeZone)) throw new BadUserInputError(`"${timeZone}" is not a time zone name (e.g. "Europe/Berlin", "America/New_York", "UTC").`, 'timeZone');
    const lock = await this.deps.store.locks.update(deviceId, { timeZone });
    if (!lock) throw new NotFoundError(`Lock "${deviceId}"`);
    await this.deps.audit.record({ actor: viewer.username, action: 'lock.timeZone', deviceId, result: 'ok', detail: `${before.timeZone} → ${timeZone}` }, lock.owner);
    this.deps.events.publish('lock.changed', lock);
    return lock;
  }

  /** The lock changed hands (lock-transfers.service.ts): every share ends, each holder drops the lock. */
  async revokeAll(deviceId: string): Promise<number> {
    const lock = await this.deps.store.locks.findByDeviceId(deviceId);
    if (!lock) return 0;
    const shares = await endAllShares(this.deps, lock);
    for (const share of shares) {
      await this.deps.audit.record({ actor: null, action: 'lock.shareRevoked', deviceId, result: 'ok', detail: `with ${share.guest}: the lock changed hands` }, lock.owner);
    }
    return shares.length;
  }

  /** The share and its lock, for someone whose role carries `right`; NOT_FOUND (as a missing share) for anyone who cannot see the lock. */
  private async shareFor(viewer: UserRecord, shareId: string, right: 'manage') {
    const share = await this.deps.store.lockShares.findById(shareId);
    const lock = share ? await this.deps.store.locks.findByDeviceId(share.deviceId) : null;
    const mine = lock && lock.owner !== viewer.username ? await this.deps.store.lockShares.find(lock.deviceId, viewer.username) : null;
    const access = lock ? accessOf(viewer, lock, mine) : null;
    if (!share || !lock || !access) throw new NotFoundError(`Share "${shareId}"`);
    requireRight(lock.deviceId, access, right);
    return { lock, share, canManage: allows(access, right) };
  }

  private announce(lock: LockRecord, share: LockShareRecord): void {
    announceShareChange(this.deps, lock.deviceId, share.guest, share.role);
    // The holder's sessions (lockChanged) pick the lock up, or see their new rights.
    this.deps.events.publish('lock.changed', lock);
  }
}

function checkRule(rule: StoredAccessRule): void {
  const problems = accessRuleProblems(rule);
  if (problems.length > 0) throw new BadUserInputError(`The access rule is not valid: ${problems.join('; ')}.`, 'access', { problems });
}
