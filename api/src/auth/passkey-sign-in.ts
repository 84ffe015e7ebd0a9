/**
 * Passkeys where a password would go: signing in (with a username or without: the browser offers
 * the passkeys it holds for this site), the second step after a password, and step-up. Each
 * answer goes through the sign-in throttle like a password, counted against the passkey's owner
 * (an unknown passkey against one shared name). Every failure reads alike: an unknown passkey,
 * another account's, a bad signature and a replay cannot be told apart from outside.
 */
import { createHash } from 'node:crypto';
import type { AuditService } from '../audit/audit.service.js';
import { BadUserInputError, TooManyAttemptsError, UnauthenticatedError } from '../errors/graphql-errors.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/ports.js';
import type { AuthService, ClientInfo, Session } from './auth.service.js';
import { ASSERTION_FAILURE_TEXT, type AssertionResult, type PasskeysService } from './passkeys.service.js';
import type { SignInChallenges } from './sign-in-challenge.js';
import type { StepUp } from './step-up.js';
import type { SignInThrottle } from './throttle/throttle.js';
import type { ChallengeScope, WebAuthnPurpose } from './webauthn-challenges.js';
import type { Viewer } from './viewer.js';

export interface PasskeySignInDeps {
  store: Store;
  auth: AuthService;
  passkeys: PasskeysService;
  throttle: SignInThrottle;
  audit: AuditService;
  metrics: Metrics;
  stepUp: StepUp;
  challenges: SignInChallenges;
}

/** The throttle's account for passkeys nobody here has: one name for all of them. */
const UNKNOWN_PASSKEY_ACCOUNT = '(unknown passkey)';
const DID_NOT_WORK = 'That passkey did not work here.';
const SESSION_ENDED = 'Your session has ended. Sign in again.';
const TOO_SLOW = 'Your sign-in took too long. Enter your password again.';

/** A sign-in attempt's scope: the hash of its challenge token (the token itself stays with the browser). */
const attemptOf = (signInChallenge: string) => createHash('sha256').update(signInChallenge).digest('base64url');

export class PasskeySignIn {
  constructor(private readonly deps: PasskeySignInDeps) {}

  /** With a username: that account's passkeys (stand-ins when it has none or does not exist); without: any. */
  async signInOptions(rawUsername: string | null, requestOrigin: string | undefined): Promise<string> {
    const scope = { userId: null, binding: null };
    const username = rawUsername?.trim().toLowerCase().slice(0, 64) || null;
    if (username === null) return this.deps.passkeys.assertionOptions('signIn', scope, requestOrigin, null);
    const user = await this.deps.store.users.findByUsername(username);
    return this.deps.passkeys.assertionOptions('signIn', scope, requestOrigin, user ? { user } : { fakeFor: username });
  }

  /** Signs in with a passkey alone (it needs user verification, so it is two factors in one): a new session line, proved now. */
  async signIn(responseText: string, client: ClientInfo, requestOrigin: string | undefined): Promise<Session> {
    const result = await this.throttled(responseText, 'signIn', { userId: null, binding: null }, client.address, requestOrigin);
    if (!result.ok) {
      this.deps.metrics.signInFailures.inc({ reason: 'bad_credentials' });
      const target = result.passkey ? `account ${(await this.ownerName(result.passkey.userId)) ?? 'gone'}` : 'unknown account';
      await this.deps.audit.record({ actor: null, action: 'user.signIn', deviceId: null, result: 'failed', detail: `${target}, with a passkey (${ASSERTION_FAILURE_TEXT[result.failure]}), from ${client.address}` });
      throw new UnauthenticatedError(DID_NOT_WORK);
    }
    const { user, passkey } = result;
    await this.deps.audit.record({ actor: user.username, action: 'user.signIn', deviceId: null, result: 'ok', detail: `${client.address}, with passkey "${passkey.name}"` });
    await this.used(user.username, passkey.name, 'sign-in');
    return this.deps.auth.beginSession(user, client);
  }

  /** Options for the second step of a password sign-in: the account's passkeys, bound to this attempt. */
  async secondFactorOptions(signInChallenge: string, requestOrigin: string | undefined): Promise<string> {
    const user = await this.attemptUser(signInChallenge);
    return this.deps.passkeys.assertionOptions('secondFactor', { userId: user.id, binding: attemptOf(signInChallenge) }, requestOrigin, { user });
  }

  async signInSecondFactor(signInChallenge: string, responseText: string, client: ClientInfo, requestOrigin: string | undefined): Promise<Session> {
    const user = await this.attemptUser(signInChallenge);
    const result = await this.throttled(responseText, 'secondFactor', { userId: user.id, binding: attemptOf(signInChallenge) }, client.address, requestOrigin, user.id);
    if (!result.ok) {
      await this.deps.audit.record({ actor: null, action: 'user.signIn', deviceId: null, result: 'failed', detail: `account ${user.username}, second-factor passkey (${ASSERTION_FAILURE_TEXT[result.failure]}), from ${client.address}` });
      throw new UnauthenticatedError(DID_NOT_WORK);
    }
    await this.deps.audit.record({ actor: user.username, action: 'user.signIn', deviceId: null, result: 'ok', detail: `${client.address}, with passkey "${result.passkey.name}" as second factor` });
    await this.used(user.username, result.passkey.name, 'second factor');
    return this.deps.auth.beginSession(user, client);
  }

  /** Options for step-up: the viewer's passkeys, bound to this session line. */
  async reauthenticationOptions(viewer: Viewer, requestOrigin: string | undefined): Promise<string> {
    if (viewer.sessionId === null) throw new UnauthenticatedError(SESSION_ENDED);
    return this.deps.passkeys.assertionOptions('reauthenticate', { userId: viewer.user.id, binding: viewer.sessionId }, requestOrigin, { user: viewer.user });
  }

  /** Step-up with a passkey: like `reauthenticate` with the password; a failure is BAD_USER_INPUT (the session is fine). */
  async reauthenticate(viewer: Viewer, responseText: string, clientAddress: string, requestOrigin: string | undefined): Promise<void> {
    const { user } = viewer;
    if (viewer.sessionId === null) throw new UnauthenticatedError(SESSION_ENDED);
    const result = await this.throttled(responseText, 'reauthenticate', { userId: user.id, binding: viewer.sessionId }, clientAddress, requestOrigin, user.id);
    if (!result.ok) {
      await this.deps.audit.record({ actor: user.username, action: 'user.reauthenticate', deviceId: null, result: 'failed', detail: `with a passkey (${ASSERTION_FAILURE_TEXT[result.failure]}), from ${clientAddress}` });
      throw new BadUserInputError(DID_NOT_WORK, 'response');
    }
    if (!(await this.deps.stepUp.record(viewer))) throw new UnauthenticatedError(SESSION_ENDED);
    await this.deps.audit.record({ actor: user.username, action: 'user.reauthenticate', deviceId: null, result: 'ok', detail: `with passkey "${result.passkey.name}", from ${clientAddress}` });
    await this.used(user.username, result.passkey.name, 'step-up');
  }

  private async throttled(responseText: string, purpose: WebAuthnPurpose, scope: ChallengeScope, address: string, requestOrigin: string | undefined, expectedUserId?: string): Promise<AssertionResult> {
    const account = expectedUserId !== undefined ? await this.ownerName(expectedUserId) : await this.accountOfResponse(responseText);
    const verdict = await this.deps.throttle.attempt(account ?? UNKNOWN_PASSKEY_ACCOUNT, address);
    if (!verdict.allowed) {
      this.deps.metrics.signInFailures.inc({ reason: 'throttled' });
      throw new TooManyAttemptsError(verdict.retryAfterSeconds);
    }
    let result: AssertionResult;
    try {
      result = await this.deps.passkeys.verifyAssertion(responseText, purpose, scope, requestOrigin, expectedUserId);
    } catch (error) {
      await verdict.abandoned();
      throw error;
    }
    if (result.ok) await verdict.succeeded();
    else await verdict.failed();
    return result;
  }

  /** The username owning the passkey an answer names, if any (for the throttle's count). */
  private async accountOfResponse(responseText: string): Promise<string | null> {
    let id: unknown;
    try {
      id = (JSON.parse(responseText.slice(0, 64_000)) as { id?: unknown }).id;
    } catch {
      return null;
    }
    if (typeof id !== 'string' || id.length > 1024) return null;
    const passkey = await this.deps.store.passkeys.findByCredentialId(id);
    return passkey ? this.ownerName(passkey.userId) : null;
  }

  private async ownerName(userId: string): Promise<string | null> {
    return (await this.deps.store.users.findById(userId))?.username ?? null;
  }

  private async attemptUser(signInChallenge: string) {
    const claims = this.deps.challenges.verify(signInChallenge);
    const user = claims ? await this.deps.store.users.findById(claims.userId) : null;
    if (!claims || !user || user.tokenVersion !== claims.tokenVersion) throw new UnauthenticatedError(TOO_SLOW);
    return user;
  }

  private async used(username: string, name: string, as: string): Promise<void> {
    await this.deps.audit.record({ actor: username, action: 'user.passkeyUsed', deviceId: null, result: 'ok', detail: `"${name}" for ${as}` });
  }
}
