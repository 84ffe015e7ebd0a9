/**
 * `npm run admin -- rotate-secrets-key`, for authenticator secrets: re-seals each under the first
 * key of SECRETS_KEYS (compare-and-set, so an enrolment restarted meanwhile is not put back),
 * so that the old key can be dropped without turning anyone's second factor off.
 */
import type { DeviceKeys } from '../devices/device-keys.js';
import type { Store } from '../store/ports.js';
import { totpSealContext } from './totp.service.js';

export interface TotpResealSummary {
  resealed: number;
  alreadyCurrent: number;
  /** Users whose enrolment changed while this ran (run it again). */
  changed: string[];
}

export async function resealTotpSecrets(store: Store, keys: DeviceKeys): Promise<TotpResealSummary> {
  const summary: TotpResealSummary = { resealed: 0, alreadyCurrent: 0, changed: [] };
  for (const { userId, secretSealed } of await store.totp.listSealed()) {
    if (keys.isSealedWithCurrentKey(secretSealed)) {
      summary.alreadyCurrent++;
      continue;
    }
    const context = totpSealContext(userId);
    const resealed = keys.seal(context, keys.open(context, secretSealed));
    if (await store.totp.replaceSealed(userId, secretSealed, resealed)) summary.resealed++;
    else summary.changed.push(userId);
  }
  return summary;
}
