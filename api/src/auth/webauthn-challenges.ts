/**
 * WebAuthn challenges, signed rather than stored when issued: 1 byte purpose, 4 bytes expiry
 * (epoch seconds), 16 random bytes, then an HMAC over those and the scope (user and session line,
 * or sign-in attempt) the challenge was issued for. Issuing one writes nothing, so asking for
 * sign-in options anonymously costs the store nothing; answering one marks it used in the store
 * (shared by every replica) until it expires, so it is good once wherever it lands.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PasskeyRepository } from '../store/ports.js';

export type WebAuthnPurpose = 'register' | 'signIn' | 'secondFactor' | 'reauthenticate';
const PURPOSES: readonly WebAuthnPurpose[] = ['register', 'signIn', 'secondFactor', 'reauthenticate'];

/** Time to find the phone or touch the key; WebAuthn's own timeout is set to the same. */
export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * 60_000;
const NONCE_BYTES = 16;
const MAC_BYTES = 32;
const LENGTH = 1 + 4 + NONCE_BYTES + MAC_BYTES;

/** Whom a challenge is for: checked when it is answered. */
export interface ChallengeScope {
  userId: string | null;
  /** The session line (register, reauthenticate) or the sign-in attempt (secondFactor). */
  binding: string | null;
}

export class WebAuthnChallenges {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly store: Pick<PasskeyRepository, 'useChallenge'>,
    private readonly now: () => number = Date.now,
  ) {
    // Its own key, derived: a challenge MAC can never be mistaken for a JWT signature.
    this.key = createHmac('sha256', secret).update('smartlock webauthn challenges').digest();
  }

  issue(purpose: WebAuthnPurpose, scope: ChallengeScope): string {
    const head = Buffer.alloc(5);
    head.writeUInt8(PURPOSES.indexOf(purpose), 0);
    head.writeUInt32BE(Math.floor((this.now() + WEBAUTHN_CHALLENGE_TTL_MS) / 1000), 1);
    const body = Buffer.concat([head, randomBytes(NONCE_BYTES)]);
    return Buffer.concat([body, this.mac(body, scope)]).toString('base64url');
  }

  /** True when `challenge` was issued here for this purpose and scope and has not expired (it is not used up by this). */
  matches(challenge: string, purpose: WebAuthnPurpose, scope: ChallengeScope): boolean {
    const bytes = Buffer.from(challenge, 'base64url');
    if (bytes.length !== LENGTH || bytes.toString('base64url') !== challenge) return false;
    if (bytes.readUInt8(0) !== PURPOSES.indexOf(purpose)) return false;
    if (bytes.readUInt32BE(1) * 1000 <= this.now()) return false;
    const body = bytes.subarray(0, LENGTH - MAC_BYTES);
    return timingSafeEqual(bytes.subarray(LENGTH - MAC_BYTES), this.mac(body, scope));
  }

  /** Uses a matching challenge up: true once, false for every later answer to it. */
  async use(challenge: string): Promise<boolean> {
    const bytes = Buffer.from(challenge, 'base64url');
    const expiresAt = new Date(bytes.readUInt32BE(1) * 1000);
    return this.store.useChallenge(challenge, expiresAt, new Date(this.now()));
  }

  private mac(body: Buffer, scope: ChallengeScope): Buffer {
    // Lengths first, so that no two scopes serialise alike.
    const user = scope.userId ?? '';
    const binding = scope.binding ?? '';
    return createHmac('sha256', this.key).update(body).update(`${user.length}:${user}|${binding.length}:${binding}|${scope.userId === null ? 0 : 1}${scope.binding === null ? 0 : 1}`).digest();
  }
}
