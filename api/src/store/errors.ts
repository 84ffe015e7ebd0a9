/** Thrown by adapters when a unique key is taken; `field` names it in domain terms. */
export class DuplicateKeyError extends Error {
  constructor(readonly field: 'username' | 'deviceId' | 'id') {
    super(`duplicate ${field}`);
    this.name = 'DuplicateKeyError';
  }
}
