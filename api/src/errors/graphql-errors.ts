/**
 * One small GraphQLError subclass per code, so resolvers and services throw
 * meaning and clients switch on a fixed `extensions.code`.
 */
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'TOO_MANY_ATTEMPTS'
  | 'STEP_UP_REQUIRED'
  | 'SECOND_FACTOR_REQUIRED'
  | 'TOO_MANY_COMMANDS'
  | 'LOCK_OFFLINE'
  | 'ALREADY_CLAIMED'
  | 'ACCESS_WINDOW_CLOSED'
  | 'STORAGE_UNAVAILABLE'
  | 'FIRMWARE_DISABLED'
  | 'INTERNAL_SERVER_ERROR';

abstract class CodedError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export class UnauthenticatedError extends CodedError {
  constructor(message = 'Sign in to do this.') {
    super(message, 'UNAUTHENTICATED');
  }
}

export class ForbiddenError extends CodedError {
  constructor(message = 'You are not allowed to do this.') {
    super(message, 'FORBIDDEN');
  }
}

export class NotFoundError extends CodedError {
  constructor(what: string) {
    super(`${what} was not found.`, 'NOT_FOUND');
  }
}

export class BadUserInputError extends CodedError {
  /** `details`: more for clients to show, e.g. a weak password's `suggestions`. */
  constructor(message: string, field?: string, details: Record<string, unknown> = {}) {
    super(message, 'BAD_USER_INPUT', { ...(field ? { field } : {}), ...details });
  }
}

export class TooManyAttemptsError extends CodedError {
  constructor(retryAfterSeconds: number, what = 'failed sign-in attempts') {
    super(`Too many ${what}. Try again in ${retryAfterSeconds} s.`, 'TOO_MANY_ATTEMPTS', {
      retryAfterSeconds,
    });
  }
}

/** The session proved its password longer ago than `maxAgeSeconds`: `reauthenticate`, then try again. */
export class StepUpRequiredError extends CodedError {
  constructor(maxAgeSeconds: number) {
    super(`Confirm it is you: enter your password again (needed within ${maxAgeSeconds} s for this).`, 'STEP_UP_REQUIRED', { maxAgeSeconds });
  }
}

/** Which second factors an account has; the app offers those. */
export type SecondFactorMethod = 'totp' | 'passkey';

/**
 * The password was right and the account has a second factor: send `challenge` and a code to
 * `signInSecondFactor`, or a passkey's answer to `signInSecondFactorWithPasskey`. `methods` says which it has.
 */
export class SecondFactorRequiredError extends CodedError {
  constructor(challenge: string, expiresAt: Date, methods: SecondFactorMethod[] = ['totp']) {
    const message = methods.includes('totp')
      ? `Enter the code from your authenticator app (or a recovery code)${methods.includes('passkey') ? ', or use your passkey' : ''}.`
      : 'Use your passkey to finish signing in.';
    super(message, 'SECOND_FACTOR_REQUIRED', { challenge, expiresAt: expiresAt.toISOString(), methods });
  }
}

/** Nothing was sent: this user asked this lock for too many commands too quickly. */
export class TooManyCommandsError extends CodedError {
  constructor(deviceId: string, retryAfterSeconds: number) {
    super(`Too many commands for lock ${deviceId}; nothing was sent. Try again in ${retryAfterSeconds} s.`, 'TOO_MANY_COMMANDS', {
      retryAfterSeconds,
    });
  }
}

export class LockOfflineError extends CodedError {
  constructor(deviceId: string) {
    super(`Lock ${deviceId} is offline; nothing was sent.`, 'LOCK_OFFLINE');
  }
}

/**
 * The store could not take the write (or the read): nothing was saved and, for
 * a command, nothing was sent. Answered with the request id, like internal errors.
 */
export class StorageUnavailableError extends CodedError {
  constructor() {
    super('Storage is unavailable; nothing was saved or sent. Try again later.', 'STORAGE_UNAVAILABLE');
  }
}

/** Firmware releases and rollouts need FIRMWARE_PUBLIC_KEY, which this api was started without. */
export class FirmwareDisabledError extends CodedError {
  constructor() {
    super('Firmware updates are off: set FIRMWARE_PUBLIC_KEY (the release public key) and restart the api.', 'FIRMWARE_DISABLED');
  }
}

/** The code is right, but its lock already has an owner: it must be released (removeLock) or factory-reset first. */
export class AlreadyClaimedError extends CodedError {
  constructor() {
    super('This lock already belongs to someone. Its owner can remove it, or it can be factory-reset (long press), before it is claimed again.', 'ALREADY_CLAIMED');
  }
}

/**
 * A guest's command outside their share's access rule; nothing was sent. `nextAllowedAt`: when the
 * rule next lets them in (ISO), or null when it never will again.
 */
export class AccessWindowClosedError extends CodedError {
  constructor(deviceId: string, nextAllowedAt: Date | null) {
    const when = nextAllowedAt ? `; it opens again at ${nextAllowedAt.toISOString()}` : '; it does not open again';
    super(`Your access to lock ${deviceId} is closed now${when}. Nothing was sent.`, 'ACCESS_WINDOW_CLOSED', { nextAllowedAt: nextAllowedAt?.toISOString() ?? null });
  }
}
