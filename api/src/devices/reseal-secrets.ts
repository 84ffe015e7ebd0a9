/**
 * `npm run admin -- rotate-secrets-key`: re-seals every lock's secret under the first key of
 * SECRETS_KEYS, so that the old key can then be dropped (docs/operations.md, "Key custody"). Each
 * row is replaced only while it still holds what was read (replaceSealedSecret), so a secret that a
 * running api rotates meanwhile is never put back to its old value; such a row is re-read and done
 * again. Idempotent: rows already under the current key are left alone. A lock in the middle of an
 * over-the-air rotation (docs/protocol.md §13.3) also holds the other secret of the rotation: while
 * that one is under an old key the lock is reported as contended, to be re-sealed by a later run once
 * the rotation is over (rotations end within a heartbeat or two of the lock being online).
 */
import type { Store } from '../store/ports.js';
import { needsProvisioning } from '../store/records.js';
import type { DeviceKeys } from './device-keys.js';

export interface ResealSummary {
  resealed: number;
  alreadyCurrent: number;
  /** Rows that changed under us more than `attempts` times in a row (reported, never overwritten). */
  contended: string[];
}

export async function resealSecrets(store: Store, keys: DeviceKeys, attempts = 3): Promise<ResealSummary> {
  const summary: ResealSummary = { resealed: 0, alreadyCurrent: 0, contended: [] };
  for (const listed of await store.locks.listAll()) {
    if (needsProvisioning(listed)) continue; // no secret to reseal
    let lock: { secretSealed: string; secretPendingSealed: string | null; secretPreviousSealed: string | null } | null = listed;
    for (let attempt = 0; lock; attempt++) {
      const rotating = [lock.secretPendingSealed, lock.secretPreviousSealed].some((sealed) => sealed !== null && !keys.isSealedWithCurrentKey(sealed));
      if (rotating) {
        summary.contended.push(listed.deviceId);
        break;
      }
      if (keys.isSealedWithCurrentKey(lock.secretSealed)) {
        summary.alreadyCurrent++;
        break;
      }
      if (attempt === attempts) {
        summary.contended.push(listed.deviceId);
        break;
      }
      const secret = keys.open(listed.deviceId, lock.secretSealed);
      if (await store.locks.replaceSealedSecret(listed.deviceId, lock.secretSealed, keys.seal(listed.deviceId, secret))) {
        summary.resealed++;
        break;
      }
      lock = await store.locks.findByDeviceId(listed.deviceId); // rotated or removed meanwhile
    }
  }
  return summary;
}
