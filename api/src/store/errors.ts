/** Thrown by adapters when a unique key is taken; `field` names it in domain terms. */
export class DuplicateKeyError extends Error {
  constructor(readonly field: 'username' | 'deviceId' | 'id' | 'idempotencyKey' | 'release' | 'factoryId' | 'credentialId') {
    super(`duplicate ${field}`);
    this.name = 'DuplicateKeyError';
  }
}

/** A lock was to be created for, or handed to, an owner who has no account (SQLite: a foreign key). */
export class MissingOwnerError extends Error {
  constructor(readonly owner: string) {
    super(`no user "${owner}" to own the lock`);
    this.name = 'MissingOwnerError';
  }
}

/**
 * The storage itself is failing (disk full, I/O error, read-only or missing
 * file, a lock held past the busy timeout, the database server unreachable):
 * the operation did not happen and retrying later may work. Adapters turn
 * their driver's errors into this one type; the GraphQL layer answers it with
 * STORAGE_UNAVAILABLE. `operation` names the repository method ("locks.create").
 */
export class StorageFailureError extends Error {
  constructor(
    readonly operation: string,
    options: { cause: unknown },
  ) {
    super(`storage unavailable: ${operation} failed (${describeCause(options.cause)})`, options);
    this.name = 'StorageFailureError';
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}
