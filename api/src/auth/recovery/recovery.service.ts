/**
 * Account recovery (issue 14 item 4): a one-time link, issued by an admin (`npm run admin --
 * recovery-link`) or mailed to the user's verified address ("Forgot password?"), that sets a new
 * password. Redeeming it ends every session of the user. It never skips the second factor unless
 * an admin issued it with `--reset-second-factor`: a mailbox alone must not open an account that
 * has one. See docs/security.md, "Account recovery".
 */
import type { AuditService } from '../../audit/audit.service.js';
import { BadUserInputError, TooManyAttemptsError } from '../../errors/graphql-errors.js';
import type { EventBus } from '../../events/events.js';
import type { Logger } from '../../app/logger.js';
import type { Store } from '../../store/ports.js';
import type { RecoveryTokenRecord, UserRecord } from '../../store/records.js';
import type { AuthService, ClientInfo, Session } from '../auth.service.js';
import { checkNewPassword, USERNAME_PATTERN } from '../credentials.js';
import type { PasswordHasher } from '../password.js';
import type { PasswordCosts } from '../password-costs.js';
import type { TotpService } from '../totp.service.js';
import type { Mailer } from './mailer.js';
import { issueRecoveryLink } from './issue-link.js';
import { EMAIL_LINK_TTL_MS, hashLinkToken, looksLikeLinkToken } from './recovery-links.js';
import type { RecoveryThrottle } from './recovery-throttle.js';
import { normalizeEmail } from './email-address.js';

export interface RecoveryDeps {
  store: Store;
  hasher: PasswordHasher;
  passwordCosts: PasswordCosts;
  auth: AuthService;
  totp: TotpService;
  audit: AuditService;
  /** For `user.rightsChanged`: every open socket of the user closes. */
  events: EventBus;
  throttle: RecoveryThrottle;
  /** Absent without SMTP_URL: no mailed links. */
  mailer: Mailer | undefined;
  /** Where links point (recovery-links.ts `appOrigin`). */
  appOrigin: string;
  log: Logger;
  now?: () => number;
}

const LINK_SPENT = 'This recovery link does not work: it was used, replaced by a newer one, or has expired. Ask for a new one.';

export class RecoveryService {
  private readonly now: () => number;

  constructor(private readonly deps: RecoveryDeps) {
    this.now = deps.now ?? Date.now;
  }

  get emailAvailable(): boolean {
    return this.deps.mailer !== undefined;
  }

  /**
   * "Forgot password?": a username or an email address. Always answers the same and takes the
   * same path whether or not anything matches; the mail goes out in the background, so the time
   * to answer tells nothing either. Only verified addresses get a link.
   */
  async request(usernameOrEmail: string, clientAddress: string): Promise<void> {
    const verdict = await this.deps.throttle.request(clientAddress);
    if (!verdict.allowed) throw new TooManyAttemptsError(verdict.retryAfterSeconds, 'recovery requests from your network');
    if (!this.deps.mailer) throw new BadUserInputError('This server cannot send email: ask an admin for a recovery link.');
    const text = usernameOrEmail.trim().toLowerCase().slice(0, 254);
    void this.mailLinks(text, clientAddress).catch((error: unknown) => this.deps.log.warn({ err: error }, 'recovery mail failed'));
  }

  /**
   * Sets the new password (sign-up's strength rules), ends every session of the user, and signs
   * them in, unless a second factor is on: then SECOND_FACTOR_REQUIRED, as a sign-in with the new
   * password would answer (the link does not replace the code).
   */
  async redeem(token: string, newPassword: string, client: ClientInfo): Promise<Session> {
    if (!looksLikeLinkToken(token)) throw new BadUserInputError(LINK_SPENT, 'token');
    const tokenHash = hashLinkToken(token);
    // Checked before the token is spent, so a weak password can be corrected with the same link.
    const pending = await this.peekUser(tokenHash);
    if (pending) await checkNewPassword(newPassword, pending.username);
    const record = pending ? await this.deps.store.recoveryTokens.consume(tokenHash, new Date(this.now())) : null;
    const user = record ? await this.deps.store.users.findById(record.userId) : null;
    if (!record || !user) {
      await this.deps.audit.record({ actor: null, action: 'user.recovered', deviceId: null, result: 'failed', detail: `unknown or spent link, from ${client.address}` });
      throw new BadUserInputError(LINK_SPENT, 'token');
    }
    const passwordHash = await this.deps.hasher.hash(newPassword);
    await this.deps.passwordCosts.note(passwordHash);
    await this.deps.store.users.setPasswordHash(user.username, passwordHash);
    await this.endEverySession(user);
    const secondFactorReset = record.issuedBy === 'admin' && record.resetSecondFactor && (await this.deps.store.totp.remove(user.id));
    if (secondFactorReset) {
      await this.deps.audit.record({ actor: user.username, action: 'user.totpDisabled', deviceId: null, result: 'ok', detail: 'by an admin recovery link' });
    }
    await this.deps.audit.record({
      actor: user.username,
      action: 'user.recovered',
      deviceId: null,
      result: 'ok',
      detail: `${record.issuedBy === 'admin' ? 'admin link' : 'emailed link'}, from ${client.address}; every session ended${secondFactorReset ? '; second factor removed' : ''}`,
    });
    const current = (await this.deps.store.users.findById(user.id)) ?? user;
    if (await this.deps.totp.isOn(current.id)) throw this.deps.auth.secondFactorChallenge(current);
    return this.deps.auth.startNewSession(current, client);
  }

  private async peekUser(tokenHash: string): Promise<UserRecord | null> {
    // Spending and restoring would race with a second redemption; reading the hash is enough here.
    const record = await this.findToken(tokenHash);
    return record ? this.deps.store.users.findById(record.userId) : null;
  }

  private async findToken(tokenHash: string): Promise<RecoveryTokenRecord | null> {
    return this.deps.store.recoveryTokens.find(tokenHash, new Date(this.now()));
  }

  /** Revokes every refresh token, every access token (token version) and push registration; closes every socket. */
  private async endEverySession(user: UserRecord): Promise<void> {
    await this.deps.store.users.bumpTokenVersion(user.id);
    await this.deps.store.sessions.revokeAllForUser(user.id, new Date(this.now()));
    await this.deps.store.push.removeByUser(user.id);
    this.deps.events.publish('user.rightsChanged', { userId: user.id, reason: 'recovered' });
  }

  private async mailLinks(text: string, clientAddress: string): Promise<void> {
    const targets = await this.verifiedTargets(text);
    for (const { user, address } of targets) {
      if (!(await this.deps.throttle.mailTo(`recover:${user.id}`))) continue;
      const link = await issueRecoveryLink(this.deps.store, this.deps.appOrigin, user, { issuedBy: 'email', resetSecondFactor: false, ttlMs: EMAIL_LINK_TTL_MS, now: this.now() });
      await this.deps.mailer?.send({
        to: address,
        subject: 'Reset your Smartlock password',
        text: [
          `Someone (from ${clientAddress}) asked to reset the password of the Smartlock account "${user.username}".`,
          '',
          `To choose a new password, open this link within ${link.validFor}. It works once:`,
          link.url,
          '',
          'If it was not you, ignore this mail: your password stays as it is.',
          'Setting a new password ends every session of the account. If you use an authenticator app, sign-in still asks for its code.',
        ].join('\n'),
      });
      await this.deps.audit.record({ actor: user.username, action: 'user.recoveryLinkIssued', deviceId: null, result: 'ok', detail: `mailed to the verified address, valid ${link.validFor}, asked from ${clientAddress}` });
    }
  }

  /** The accounts `text` names with a verified address: a username's own, or every account that verified that address. */
  private async verifiedTargets(text: string): Promise<{ user: UserRecord; address: string }[]> {
    const { store } = this.deps;
    if (USERNAME_PATTERN.test(text)) {
      const user = await store.users.findByUsername(text);
      const email = user ? await store.emails.find(user.id) : null;
      return user && email?.verifiedAt ? [{ user, address: email.address }] : [];
    }
    const address = normalizeEmail(text);
    if (!address) return [];
    const found: { user: UserRecord; address: string }[] = [];
    for (const email of await store.emails.findVerifiedByAddress(address)) {
      const user = await store.users.findById(email.userId);
      if (user) found.push({ user, address: email.address });
    }
    return found;
  }
}
