/**
 * Sign-up, sign-in and sessions. Access tokens are short-lived JWTs; refresh
 * tokens are opaque, stored hashed and rotated on every use. Presenting a
 * rotated refresh token again means it was copied: the whole family is revoked.
 */
import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/audit.service.js';
import type { EventBus } from '../events/events.js';
import { BadUserInputError, type SecondFactorMethod, SecondFactorRequiredError, TooManyAttemptsError, UnauthenticatedError } from '../errors/graphql-errors.js';
import type { Metrics } from '../observability/metrics.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { Store } from '../store/ports.js';
import type { UserRecord } from '../store/records.js';
import type { AccessTokens } from './access-tokens.js';
import { checkNewPassword, MAX_PASSWORD_LENGTH, normalizeUsername } from './credentials.js';
import type { PasswordHasher } from './password.js';
import type { PasswordCosts } from './password-costs.js';
import { hashRefreshToken, looksLikeRefreshToken, newRefreshToken } from './refresh-tokens.js';
import type { SignUpThrottle } from './throttle/sign-up-throttle.js';
import type { SignInThrottle } from './throttle/throttle.js';
import type { PasskeysService } from './passkeys.service.js';
import type { SignInChallenges } from './sign-in-challenge.js';
import type { StepUp } from './step-up.js';
import type { TotpService } from './totp.service.js';
import type { Viewer } from './viewer.js';

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  user: UserRecord;
}

/** Where a sign-in or refresh comes from, kept with the session for its owner's sessions list. */
export interface ClientInfo {
  address: string;
  /** The User-Agent header, bounded (device-name.ts). */
  userAgent: string | null;
}

export interface AuthServiceDeps {
  store: Store;
  hasher: PasswordHasher;
  passwordCosts: PasswordCosts;
  accessTokens: AccessTokens;
  throttle: SignInThrottle;
  signUpThrottle: SignUpThrottle;
  audit: AuditService;
  /** For `user.rightsChanged`, which closes the user's open sockets. */
  events: EventBus;
  metrics: Metrics;
  /** Records password proofs for step-up (reauthenticate, changePassword). */
  stepUp: StepUp;
  /** Second factor: sign-in asks for a code when it is on. */
  totp: TotpService;
  /** A passkey is a second factor too: an account with one needs it (or its code) after the password. */
  passkeys: PasskeysService;
  challenges: SignInChallenges;
  refreshTokenTtlMs: number;
  now?: () => number;
}

/** The session line a new token continues (or begins: no start and proof given, so both are now). */
interface SessionLine {
  familyId: string;
  familyCreatedAt?: Date;
  authenticatedAt?: Date;
  client: ClientInfo;
}

const BAD_CREDENTIALS = 'Wrong username or password.';
const SESSION_ENDED = 'Your session has ended. Sign in again.';

export class AuthService {
  private readonly now: () => number;

  constructor(private readonly deps: AuthServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async signUp(rawUsername: string, password: string, clientAddress: string, userAgent: string | null = null): Promise<Session> {
    const username = normalizeUsername(rawUsername);
    const verdict = await this.deps.signUpThrottle.attempt(clientAddress);
    if (!verdict.allowed) throw new TooManyAttemptsError(verdict.retryAfterSeconds, 'sign-ups from your network');
    await checkNewPassword(password, username);
    const passwordHash = await this.deps.hasher.hash(password);
    await this.deps.passwordCosts.note(passwordHash);
    let user: UserRecord;
    try {
      user = await this.deps.store.users.create({ username, passwordHash, role: 'USER' });
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new BadUserInputError(`Username "${username}" is taken.`, 'username');
      throw error;
    }
    await this.deps.audit.record({ actor: username, action: 'user.signUp', deviceId: null, result: 'ok', detail: null });
    return this.startSession(user, { familyId: randomUUID(), client: { address: clientAddress, userAgent } });
  }

  async signIn(rawUsername: string, password: string, clientAddress: string, userAgent: string | null = null): Promise<Session> {
    // Unknown and malformed usernames fail exactly like wrong passwords.
    const username = rawUsername.trim().toLowerCase().slice(0, 64);
    const verdict = await this.deps.throttle.attempt(username, clientAddress);
    if (!verdict.allowed) {
      this.deps.metrics.signInFailures.inc({ reason: 'throttled' });
      // No actor: the attempt is nobody we know (the name is the guesser's text), so only admins see it.
      await this.deps.audit.record({ actor: null, action: 'user.signIn', deviceId: null, result: 'throttled', detail: `from ${clientAddress}` });
      throw new TooManyAttemptsError(verdict.retryAfterSeconds);
    }
    const boundedPassword = password.slice(0, MAX_PASSWORD_LENGTH);
    let user: UserRecord | null;
    let ok: boolean;
    try {
      user = await this.deps.store.users.findByUsername(username);
      ok = await this.checkPassword(boundedPassword, user);
    } catch (error) {
      await verdict.abandoned();
      throw error;
    }
    if (!user || !ok) {
      await verdict.failed();
      this.deps.metrics.signInFailures.inc({ reason: 'bad_credentials' });
      // No actor, as above. Admins learn which account is under attack; an unknown name is not kept
      // (it may be a password typed into the wrong field, and is whatever text the guesser chose).
      const target = user ? `account ${user.username}, from` : 'unknown account, from';
      await this.deps.audit.record({ actor: null, action: 'user.signIn', deviceId: null, result: 'failed', detail: `${target} ${clientAddress}` });
      throw new UnauthenticatedError(BAD_CREDENTIALS);
    }
    await verdict.succeeded();
    const current = await this.upgradeHash(user, boundedPassword);
    const methods = await this.secondFactorsOf(current.id);
    if (methods.length > 0) {
      // Two steps: the right password earns a challenge, not a session.
      const challenge = this.deps.challenges.issue(current);
      throw new SecondFactorRequiredError(challenge.token, challenge.expiresAt, methods);
    }
    await this.deps.audit.record({ actor: username, action: 'user.signIn', deviceId: null, result: 'ok', detail: clientAddress });
    return this.startSession(current, { familyId: randomUUID(), client: { address: clientAddress, userAgent } });
  }

  /**
   * The second step of a two-step sign-in: the challenge from the first and a code from the
   * authenticator app or a recovery code. Counted by the sign-in throttle like a password.
   */
  async signInSecondFactor(challenge: string, code: string, clientAddress: string, userAgent: string | null = null): Promise<Session> {
    const claims = this.deps.challenges.verify(challenge);
    const user = claims ? await this.deps.store.users.findById(claims.userId) : null;
    if (!claims || !user || user.tokenVersion !== claims.tokenVersion) throw new UnauthenticatedError('Your sign-in took too long. Enter your password again.');
    const used = await this.secondFactorOf(user, code, clientAddress);
    if (!used) {
      await this.deps.audit.record({ actor: null, action: 'user.signIn', deviceId: null, result: 'failed', detail: `account ${user.username}, wrong second-factor code, from ${clientAddress}` });
      throw new UnauthenticatedError('Wrong code.');
    }
    await this.deps.audit.record({ actor: user.username, action: 'user.signIn', deviceId: null, result: 'ok', detail: `${clientAddress}, ${used === 'totp' ? 'with an authenticator code' : 'with a recovery code'}` });
    return this.startSession(user, { familyId: randomUUID(), client: { address: clientAddress, userAgent } });
  }

  /** Step-up with an authenticator or recovery code instead of the password. */
  async reauthenticateWithCode(viewer: Viewer, code: string, clientAddress: string): Promise<void> {
    const { user } = viewer;
    if (!(await this.secondFactorOf(user, code, clientAddress))) {
      await this.deps.audit.record({ actor: user.username, action: 'user.reauthenticate', deviceId: null, result: 'failed', detail: `wrong code, from ${clientAddress}` });
      throw new BadUserInputError('Wrong code.', 'code');
    }
    if (!(await this.deps.stepUp.record(viewer))) throw new UnauthenticatedError(SESSION_ENDED);
    await this.deps.audit.record({ actor: user.username, action: 'user.reauthenticate', deviceId: null, result: 'ok', detail: `with a code, from ${clientAddress}` });
  }

  private async secondFactorOf(user: UserRecord, code: string, clientAddress: string) {
    const verdict = await this.deps.throttle.attempt(user.username, clientAddress);
    if (!verdict.allowed) throw new TooManyAttemptsError(verdict.retryAfterSeconds);
    let used;
    try {
      used = await this.deps.totp.verify(user.id, code);
    } catch (error) {
      await verdict.abandoned();
      throw error;
    }
    if (used) await verdict.succeeded();
    else await verdict.failed();
    return used;
  }

  /** The second factors the account has set up (none: the password alone signs in). */
  async secondFactorsOf(userId: string): Promise<SecondFactorMethod[]> {
    const [totp, passkey] = await Promise.all([this.deps.totp.isOn(userId), this.deps.passkeys.hasAny(userId)]);
    return [...(totp ? (['totp'] as const) : []), ...(passkey ? (['passkey'] as const) : [])];
  }

  /** A session for a user who proved themselves another way (a passkey): a new line, proved now. */
  beginSession(user: UserRecord, client: ClientInfo): Promise<Session> {
    return this.startSession(user, { familyId: randomUUID(), client });
  }

  /** Same scrypt work for unknown users and every stored cost (no timing oracle after SCRYPT_COST changes). */
  private async checkPassword(password: string, user: UserRecord | null): Promise<boolean> {
    const { hasher, passwordCosts } = this.deps;
    if (user) await passwordCosts.note(user.passwordHash);
    return hasher.verifyWithEqualWork(password, user?.passwordHash ?? null, await passwordCosts.all());
  }

  /** A password checked at an old cost is re-hashed at the current one, now that we have it. */
  private async upgradeHash(user: UserRecord, password: string): Promise<UserRecord> {
    const { hasher, passwordCosts, store } = this.deps;
    if (!hasher.needsRehash(user.passwordHash)) return user;
    const passwordHash = await hasher.hash(password);
    await passwordCosts.note(passwordHash);
    return (await store.users.setPasswordHash(user.username, passwordHash)) ?? user;
  }

  /** `client`: where the refresh comes from (the list shows the latest); absent, the line's last one is kept. */
  async refreshSession(refreshToken: string, client?: ClientInfo): Promise<Session> {
    if (!looksLikeRefreshToken(refreshToken)) throw new UnauthenticatedError(SESSION_ENDED);
    const { sessions, users } = this.deps.store;
    const session = await sessions.findByTokenHash(hashRefreshToken(refreshToken));
    if (!session || session.revokedAt) throw new UnauthenticatedError(SESSION_ENDED);
    const at = new Date(this.now());
    if (session.rotatedAt || !(await sessions.markRotated(session.id, at))) {
      // A rotated token came back: someone holds a copy. End every session of that line.
      await sessions.revokeFamily(session.familyId, at);
      await this.deps.store.push.removeBySession(session.familyId);
      const user = await users.findById(session.userId);
      await this.deps.audit.record({ actor: user?.username ?? null, action: 'session.reuseDetected', deviceId: null, result: 'revoked', detail: null });
      throw new UnauthenticatedError(SESSION_ENDED);
    }
    const user = await users.findById(session.userId);
    if (!user || session.expiresAt.getTime() <= at.getTime()) throw new UnauthenticatedError(SESSION_ENDED);
    // The line keeps its start and its last proof of identity: a refresh proves nothing new (step-up).
    return this.startSession(user, {
      familyId: session.familyId,
      familyCreatedAt: session.familyCreatedAt,
      authenticatedAt: session.authenticatedAt,
      client: client ?? { address: session.clientAddress ?? '', userAgent: session.userAgent },
    });
  }

  /** Ends one session line. Always succeeds, so it reveals nothing about the token. */
  async signOut(refreshToken: string): Promise<void> {
    if (!looksLikeRefreshToken(refreshToken)) return;
    const session = await this.deps.store.sessions.findByTokenHash(hashRefreshToken(refreshToken));
    if (!session) return;
    await this.deps.store.sessions.revokeFamily(session.familyId, new Date(this.now()));
    // That browser is no longer signed in: nothing more is pushed to it.
    await this.deps.store.push.removeBySession(session.familyId);
  }

  /** Revokes every refresh token and, through the token version, every access token. */
  async signOutEverywhere(user: UserRecord): Promise<void> {
    await this.deps.store.users.bumpTokenVersion(user.id);
    await this.deps.store.sessions.revokeAllForUser(user.id, new Date(this.now()));
    await this.deps.store.push.removeByUser(user.id);
    this.deps.events.publish('user.rightsChanged', { userId: user.id, reason: 'signedOutEverywhere' });
    await this.deps.audit.record({ actor: user.username, action: 'user.signOutEverywhere', deviceId: null, result: 'ok', detail: null });
  }

  /**
   * Checks the current password (throttled like a sign-in), sets the new one (same strength rules
   * as sign-up), then ends every other session of the user: this one stays signed in.
   */
  async changePassword(viewer: Viewer, currentPassword: string, newPassword: string, clientAddress: string): Promise<void> {
    const { user } = viewer;
    if (!(await this.signedInUserKnows(user, currentPassword, clientAddress))) {
      await this.deps.audit.record({ actor: user.username, action: 'user.changePassword', deviceId: null, result: 'failed', detail: `wrong current password, from ${clientAddress}` });
      throw new BadUserInputError('The current password is wrong.', 'currentPassword');
    }
    // The current password just checked is this session's proof for step-up too.
    await this.deps.stepUp.record(viewer);
    await checkNewPassword(newPassword, user.username);
    const passwordHash = await this.deps.hasher.hash(newPassword);
    await this.deps.passwordCosts.note(passwordHash);
    await this.deps.store.users.setPasswordHash(user.username, passwordHash);
    await this.endOtherSessions(viewer);
    await this.deps.audit.record({ actor: user.username, action: 'user.changePassword', deviceId: null, result: 'ok', detail: `from ${clientAddress}; other sessions ended` });
  }

  /**
   * Step-up: the signed-in user proves their password again, which this session line records (a
   * refresh never does). Throttled like a sign-in; a wrong password is BAD_USER_INPUT, not
   * UNAUTHENTICATED, because the session itself is fine.
   */
  async reauthenticate(viewer: Viewer, password: string, clientAddress: string): Promise<void> {
    const { user } = viewer;
    if (!(await this.signedInUserKnows(user, password, clientAddress))) {
      await this.deps.audit.record({ actor: user.username, action: 'user.reauthenticate', deviceId: null, result: 'failed', detail: `from ${clientAddress}` });
      throw new BadUserInputError('Wrong password.', 'password');
    }
    if (!(await this.deps.stepUp.record(viewer))) throw new UnauthenticatedError(SESSION_ENDED);
    await this.deps.audit.record({ actor: user.username, action: 'user.reauthenticate', deviceId: null, result: 'ok', detail: `from ${clientAddress}` });
  }

  /** A signed-in user's password check, counted by the sign-in throttle (a stolen session cannot guess faster). */
  private async signedInUserKnows(user: UserRecord, password: string, clientAddress: string): Promise<boolean> {
    const verdict = await this.deps.throttle.attempt(user.username, clientAddress);
    if (!verdict.allowed) throw new TooManyAttemptsError(verdict.retryAfterSeconds);
    let ok: boolean;
    try {
      ok = await this.checkPassword(password.slice(0, MAX_PASSWORD_LENGTH), user);
    } catch (error) {
      await verdict.abandoned();
      throw error;
    }
    if (ok) await verdict.succeeded();
    else await verdict.failed();
    return ok;
  }

  /** Every line but the viewer's: refresh tokens revoked, pushes to those browsers stopped, their sockets closed. */
  private async endOtherSessions({ user, sessionId }: Viewer): Promise<void> {
    const at = new Date(this.now());
    const others = (await this.deps.store.sessions.listLive(user.id, at)).filter((s) => s.familyId !== sessionId);
    if (sessionId === null) {
      // A token that names no line cannot be kept apart from the others: every token of the user ends.
      await this.deps.store.users.bumpTokenVersion(user.id);
      await this.deps.store.sessions.revokeAllForUser(user.id, at);
    } else {
      await this.deps.store.sessions.revokeAllForUser(user.id, at, sessionId);
    }
    for (const other of others) await this.deps.store.push.removeBySession(other.familyId);
    this.deps.events.publish('user.rightsChanged', { userId: user.id, reason: 'passwordChanged', ...(sessionId ? { sessions: { except: sessionId } } : {}) });
  }

  /** A new session line for a user who just proved who they are another way (a recovery link). */
  async startNewSession(user: UserRecord, client: ClientInfo): Promise<Session> {
    return this.startSession(user, { familyId: randomUUID(), client });
  }

  /** The first step of signing in to an account with a second factor, for flows that checked the rest. */
  secondFactorChallenge(user: UserRecord): SecondFactorRequiredError {
    const challenge = this.deps.challenges.issue(user);
    return new SecondFactorRequiredError(challenge.token, challenge.expiresAt);
  }

  private async startSession(user: UserRecord, line: SessionLine): Promise<Session> {
    const { familyId, client } = line;
    const refreshToken = newRefreshToken();
    await this.deps.store.sessions.create({
      familyId,
      userId: user.id,
      tokenHash: hashRefreshToken(refreshToken),
      expiresAt: new Date(this.now() + this.deps.refreshTokenTtlMs),
      ...(line.familyCreatedAt ? { familyCreatedAt: line.familyCreatedAt } : {}),
      ...(line.authenticatedAt ? { authenticatedAt: line.authenticatedAt } : {}),
      userAgent: client.userAgent,
      clientAddress: client.address || null,
    });
    const access = this.deps.accessTokens.issue(user, familyId);
    return { accessToken: access.token, refreshToken, expiresAt: access.expiresAt, user };
  }
}
