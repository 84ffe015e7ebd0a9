/**
 * At start-up, before any lock can connect: every lock's sealed secret must open under
 * SECRETS_KEYS. A missing or wrong key otherwise shows up later as locks that cannot log in and
 * commands that fail one by one; stopping with the variable named is the clear error.
 *
 * Nothing opened here is cached (the ingest opens and caches what its locks use), and the locks may
 * come a page at a time (store/lock-pages.ts): start-up does not hold the whole fleet.
 */
import { ConfigError } from '../config/config.js';
import { needsProvisioning, type LockRecord } from '../store/records.js';
import { type DeviceKeys, SealingKeyMissing } from './device-keys.js';

const NAMED = 3;

type Sealed = Pick<LockRecord, 'deviceId' | 'secretSealed' | 'secretPendingSealed' | 'secretPreviousSealed'>;

export async function checkSealedSecrets(locks: Iterable<Sealed> | AsyncIterable<Sealed>, keys: DeviceKeys): Promise<void> {
  const unopened: string[] = [];
  let reason = '';
  for await (const lock of locks) {
    if (needsProvisioning(lock)) continue; // nothing to open: it waits for its owner (records.ts)
    try {
      // The other secret of an over-the-air rotation under way must open too (either may be in use).
      for (const sealed of [lock.secretSealed, lock.secretPendingSealed, lock.secretPreviousSealed]) if (sealed !== null) keys.openUncached(lock.deviceId, sealed);
    } catch (error) {
      unopened.push(lock.deviceId);
      reason ||= error instanceof SealingKeyMissing ? error.message : `the secret of ${lock.deviceId} does not open (${(error as Error).message}): a wrong key, or a damaged row`;
    }
  }
  if (unopened.length === 0) return;
  const named = unopened.slice(0, NAMED).join(', ') + (unopened.length > NAMED ? `, and ${unopened.length - NAMED} more` : '');
  throw new ConfigError([
    `SECRETS_KEYS: ${unopened.length} lock secret(s) cannot be opened with the configured keys (${named}); ${reason}. Add the key they were sealed with to SECRETS_KEYS (docs/operations.md, "Key custody")`,
  ]);
}
