/**
 * The signed-in user's recovery email address: set or changed only with a recent password
 * (step-up), usable for "Forgot password?" only once a one-time link mailed to it was opened.
 */
import type { AuditService } from '../../audit/audit.service.js';
import { BadUserInputError, TooManyAttemptsError } from '../../errors/graphql-errors.js';
import type { Store } from '../../store/ports.js';
import type { StepUp } from '../step-up.js';
import type { Viewer } from '../viewer.js';
import { normalizeEmail } from './email-address.js';
import type { Mailer } from './mailer.js';
import { describeTtl, hashLinkToken, looksLikeLinkToken, newLinkToken, VERIFY_LINK_TTL_MS, verifyEmailUrl } from './recovery-links.js';
import type { RecoveryThrottle } from './recovery-throttle.js';

export interface RecoveryEmailDeps {
  store: Store;
  stepUp: StepUp;
  audit: AuditService;
  throttle: RecoveryThrottle;
  mailer: Mailer | undefined;
  appOrigin: string;
  now?: () => number;
}

export interface EmailStatus {
  address: string;
  verified: boolean;
}

const NO_MAIL = 'This server cannot send email (SMTP_URL is not set): ask an admin for a recovery link if you forget your password.';
const LINK_SPENT = 'This link does not work: it was used, replaced by a newer address, or has expired. Add the address again for a new one.';

export class RecoveryEmailService {
  private readonly now: () => number;

  constructor(private readonly deps: RecoveryEmailDeps) {
    this.now = deps.now ?? Date.now;
  }

  async status(userId: string): Promise<EmailStatus | null> {
    const email = await this.deps.store.emails.find(userId);
    return email ? { address: email.address, verified: email.verifiedAt !== null } : null;
  }

  /** Sets (or changes) the address, unverified until the mailed link is opened. Needs step-up. */
  async set(viewer: Viewer, rawAddress: string): Promise<EmailStatus> {
    const { user } = viewer;
    await this.deps.stepUp.require(viewer);
    const { mailer } = this.deps;
    if (!mailer) throw new BadUserInputError(NO_MAIL, 'address');
    const address = normalizeEmail(rawAddress);
    if (!address) throw new BadUserInputError('That does not look like an email address.', 'address');
    // Verification mails are limited per account: no one can use this server to mail anybody often.
    if (!(await this.deps.throttle.mailTo(`verify:${user.id}`))) throw new TooManyAttemptsError(3600, 'verification mails');
    const token = newLinkToken();
    const expiresAt = new Date(this.now() + VERIFY_LINK_TTL_MS);
    await this.deps.store.emails.setUnverified(user.id, address, hashLinkToken(token), expiresAt);
    await mailer.send({
      to: address,
      subject: 'Confirm your email address for Smartlock',
      text: [
        `The Smartlock account "${user.username}" wants to use this address to recover its password.`,
        '',
        `To confirm it is yours, open this link within ${describeTtl(VERIFY_LINK_TTL_MS)}:`,
        verifyEmailUrl(this.deps.appOrigin, token),
        '',
        'If you did not ask for this, ignore this mail: the address will not be used.',
      ].join('\n'),
    });
    await this.deps.audit.record({ actor: user.username, action: 'user.emailChanged', deviceId: null, result: 'ok', detail: 'recovery address set, waiting for verification' });
    return { address, verified: false };
  }

  /** Removes the address (needs step-up): no more recovery by email. */
  async remove(viewer: Viewer): Promise<void> {
    await this.deps.stepUp.require(viewer);
    if (await this.deps.store.emails.remove(viewer.user.id)) {
      await this.deps.audit.record({ actor: viewer.user.username, action: 'user.emailChanged', deviceId: null, result: 'ok', detail: 'recovery address removed' });
    }
  }

  /** The mailed link: whoever opens it reads that mailbox, signed in or not. */
  async verify(token: string): Promise<EmailStatus> {
    const email = looksLikeLinkToken(token) ? await this.deps.store.emails.verify(hashLinkToken(token), new Date(this.now())) : null;
    if (!email) throw new BadUserInputError(LINK_SPENT, 'token');
    const user = await this.deps.store.users.findById(email.userId);
    await this.deps.audit.record({ actor: user?.username ?? null, action: 'user.emailVerified', deviceId: null, result: 'ok', detail: null });
    return { address: email.address, verified: true };
  }
}
