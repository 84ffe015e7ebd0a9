/**
 * Passkeys (WebAuthn, through @simplewebauthn/server): adding one (needs step-up: a new way in is
 * sensitive), listing, renaming, removing (step-up), and checking an assertion for sign-in, the
 * second factor or step-up. Attestation is not asked for ('none'): which authenticator it is
 * does not matter here, only that the same one answers later. Each challenge is good once, for
 * one purpose and scope (webauthn-challenges.ts).
 */
import { createHmac } from 'node:crypto';
import { generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { AuditService } from '../audit/audit.service.js';
import { BadUserInputError, NotFoundError } from '../errors/graphql-errors.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { Store } from '../store/ports.js';
import type { PasskeyRecord, UserRecord } from '../store/records.js';
import { authenticationResponse, registrationResponse } from './passkey-response.js';
import { relyingParty, type RelyingPartyConfig, RP_NAME } from './relying-party.js';
import type { StepUp } from './step-up.js';
import { type ChallengeScope, WEBAUTHN_CHALLENGE_TTL_MS, type WebAuthnChallenges, type WebAuthnPurpose } from './webauthn-challenges.js';
import type { Viewer } from './viewer.js';

export const MAX_PASSKEY_NAME_LENGTH = 64;

export interface PasskeysDeps {
  store: Store;
  audit: AuditService;
  stepUp: StepUp;
  challenges: WebAuthnChallenges;
  rp: RelyingPartyConfig;
  /** Keys the stand-in credential ids for usernames without passkeys (no "has passkeys" oracle). */
  secret: string;
  now?: () => number;
}

/** Why an assertion failed, for the audit trail only: callers answer every failure alike. */
export type AssertionFailure = 'malformed' | 'unknown' | 'not-yours' | 'challenge' | 'counter' | 'signature' | 'replayed';

export type AssertionResult = { ok: true; passkey: PasskeyRecord; user: UserRecord } | { ok: false; failure: AssertionFailure; passkey: PasskeyRecord | null };

function passkeyName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name.length === 0 || name.length > MAX_PASSKEY_NAME_LENGTH) throw new BadUserInputError(`Give the passkey a name of 1 to ${MAX_PASSKEY_NAME_LENGTH} characters.`, 'name');
  return name;
}

/** The library base64url-encodes a string challenge's UTF-8 again: it is given the bytes, so the browser signs our text. */
const challengeBytes = (challenge: string) => new Uint8Array(Buffer.from(challenge, 'base64url'));

/** The user handle a passkey stores (discoverable credentials give it back): the user's id. */
const userHandleOf = (user: UserRecord) => new Uint8Array(Buffer.from(user.id, 'utf8'));

export class PasskeysService {
  private readonly now: () => number;

  constructor(private readonly deps: PasskeysDeps) {
    this.now = deps.now ?? Date.now;
  }

  list(userId: string): Promise<PasskeyRecord[]> {
    return this.deps.store.passkeys.listByUser(userId);
  }

  async hasAny(userId: string): Promise<boolean> {
    return (await this.deps.store.passkeys.listByUser(userId)).length > 0;
  }

  /** Options for navigator.credentials.create(), as JSON; the challenge is bound to this session line. */
  async registrationOptions(viewer: Viewer, requestOrigin: string | undefined): Promise<string> {
    await this.deps.stepUp.require(viewer);
    const { user } = viewer;
    const rp = relyingParty(this.deps.rp, requestOrigin);
    const existing = await this.deps.store.passkeys.listByUser(user.id);
    const options = await generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: rp.rpId,
      userName: user.username,
      userID: userHandleOf(user),
      challenge: challengeBytes(this.deps.challenges.issue('register', { userId: user.id, binding: viewer.sessionId })),
      timeout: WEBAUTHN_CHALLENGE_TTL_MS,
      attestationType: 'none',
      // The same authenticator twice would be one passkey under two names.
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
      // Discoverable, so that it can sign in without a username.
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
    });
    return JSON.stringify(options);
  }

  /** Checks the browser's answer to `registrationOptions` (same session line, within the challenge's life) and keeps the passkey. */
  async add(viewer: Viewer, responseText: string, rawName: string, requestOrigin: string | undefined): Promise<PasskeyRecord> {
    const name = passkeyName(rawName);
    const { user } = viewer;
    const response = registrationResponse(responseText);
    const rp = relyingParty(this.deps.rp, requestOrigin);
    const scope: ChallengeScope = { userId: user.id, binding: viewer.sessionId };
    let challenge = '';
    let info;
    try {
      if (!response) throw new Error('malformed');
      const verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: (c) => ((challenge = c), this.deps.challenges.matches(c, 'register', scope)),
        expectedOrigin: rp.origins,
        expectedRPID: rp.rpId,
        requireUserVerification: false,
      });
      if (!verification.verified) throw new Error('not verified');
      info = verification.registrationInfo;
    } catch {
      throw new BadUserInputError('That passkey could not be added. Start again.', 'response');
    }
    if (!(await this.deps.challenges.use(challenge))) throw new BadUserInputError('That passkey could not be added. Start again.', 'response');
    let passkey: PasskeyRecord;
    try {
      passkey = await this.deps.store.passkeys.create({
        userId: user.id,
        credentialId: info.credential.id,
        publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        name,
        createdAt: new Date(this.now()),
      });
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new BadUserInputError('That passkey is already added.', 'response');
      throw error;
    }
    await this.deps.audit.record({ actor: user.username, action: 'user.passkeyAdded', deviceId: null, result: 'ok', detail: name });
    return passkey;
  }

  /** Someone else's passkey is NOT_FOUND, like one that does not exist. */
  async rename(viewer: Viewer, id: string, rawName: string): Promise<PasskeyRecord> {
    const renamed = await this.deps.store.passkeys.rename(viewer.user.id, id, passkeyName(rawName));
    if (!renamed) throw new NotFoundError('Passkey');
    return renamed;
  }

  async remove(viewer: Viewer, id: string): Promise<void> {
    await this.deps.stepUp.require(viewer);
    const removed = await this.deps.store.passkeys.remove(viewer.user.id, id);
    if (!removed) throw new NotFoundError('Passkey');
    await this.deps.audit.record({ actor: viewer.user.username, action: 'user.passkeyRemoved', deviceId: null, result: 'ok', detail: removed.name });
  }

  /**
   * Options for navigator.credentials.get(), as JSON. With `user`: their passkeys are allowed; with
   * `fakeFor` (a username that has none, or none at all): stand-in ids derived from it, so the answer
   * looks the same whether the account exists and has passkeys or not. With neither: any passkey.
   */
  async assertionOptions(purpose: WebAuthnPurpose, scope: ChallengeScope, requestOrigin: string | undefined, allow: { user: UserRecord } | { fakeFor: string } | null): Promise<string> {
    const rp = relyingParty(this.deps.rp, requestOrigin);
    let allowCredentials: { id: string; transports?: string[] }[] | undefined;
    if (allow && 'user' in allow) {
      const passkeys = await this.deps.store.passkeys.listByUser(allow.user.id);
      allowCredentials = passkeys.length > 0 ? passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })) : [this.standIn(allow.user.username)];
    } else if (allow) {
      allowCredentials = [this.standIn(allow.fakeFor)];
    }
    const options = await generateAuthenticationOptions({
      rpID: rp.rpId,
      challenge: challengeBytes(this.deps.challenges.issue(purpose, scope)),
      timeout: WEBAUTHN_CHALLENGE_TTL_MS,
      userVerification: purpose === 'secondFactor' ? 'preferred' : 'required',
      ...(allowCredentials ? { allowCredentials } : {}),
    });
    return JSON.stringify(options);
  }

  /**
   * Checks an answer to `assertionOptions` for `purpose` and `scope` (and, when given, that the
   * passkey is `expectedUserId`'s): a known passkey, a valid signature over an unused challenge, a
   * signature counter that moved on. Sign-in and step-up need user verification (PIN, biometrics):
   * the passkey is then the whole proof; as a second factor after the password, presence is enough.
   * Records the use (counter, time) on success.
   */
  async verifyAssertion(responseText: string, purpose: WebAuthnPurpose, scope: ChallengeScope, requestOrigin: string | undefined, expectedUserId?: string): Promise<AssertionResult> {
    const response = authenticationResponse(responseText);
    if (!response) return { ok: false, failure: 'malformed', passkey: null };
    const passkey = await this.deps.store.passkeys.findByCredentialId(response.id);
    if (!passkey) return { ok: false, failure: 'unknown', passkey: null };
    const user = await this.deps.store.users.findById(passkey.userId);
    if (!user) return { ok: false, failure: 'unknown', passkey: null };
    const handle = response.response.userHandle;
    if ((expectedUserId !== undefined && passkey.userId !== expectedUserId) || (handle && handle !== Buffer.from(userHandleOf(user)).toString('base64url'))) {
      return { ok: false, failure: 'not-yours', passkey };
    }
    const rp = relyingParty(this.deps.rp, requestOrigin);
    let challenge = '';
    let newCounter: number;
    try {
      const verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: (c) => ((challenge = c), this.deps.challenges.matches(c, purpose, scope)),
        expectedOrigin: rp.origins,
        expectedRPID: rp.rpId,
        credential: { id: passkey.credentialId, publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')), counter: passkey.counter, transports: passkey.transports },
        requireUserVerification: purpose !== 'secondFactor',
      });
      if (!verification.verified) return { ok: false, failure: 'signature', passkey };
      newCounter = verification.authenticationInfo.newCounter;
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      // WebAuthn §6.1.1: a counter that did not move on may mean a cloned authenticator; this one is refused.
      if (/counter value/i.test(message)) return { ok: false, failure: 'counter', passkey };
      if (/challenge/i.test(message)) return { ok: false, failure: 'challenge', passkey };
      return { ok: false, failure: 'signature', passkey };
    }
    // Only now is the challenge spent: junk answers cannot burn a user's challenge.
    if (!(await this.deps.challenges.use(challenge))) return { ok: false, failure: 'replayed', passkey };
    if (!(await this.deps.store.passkeys.recordUse(passkey.id, passkey.counter, newCounter, new Date(this.now())))) return { ok: false, failure: 'replayed', passkey };
    return { ok: true, passkey, user };
  }

  /** A credential id derived from a name: stable per name, never a real credential's. */
  private standIn(name: string): { id: string } {
    return { id: createHmac('sha256', this.deps.secret).update(`passkey stand-in:${name}`).digest().subarray(0, 16).toString('base64url') };
  }
}

/** The audit trail's words for a failure. */
export const ASSERTION_FAILURE_TEXT: Record<AssertionFailure, string> = {
  malformed: 'not a passkey answer',
  unknown: 'unknown passkey',
  'not-yours': "another account's passkey",
  challenge: 'stale or foreign challenge',
  counter: 'signature counter went back (a cloned authenticator?)',
  signature: 'bad signature',
  replayed: 'answer already used',
};
