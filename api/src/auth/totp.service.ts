/**
 * An authenticator app (TOTP) as a second factor: enrolment (a secret shown once as an otpauth
 * URI, confirmed with a first code), ten single-use recovery codes (only their hashes kept), and
 * the check of a code at sign-in or step-up. Turning it on or off needs a recent password (step-up).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuditService } from '../audit/audit.service.js';
import type { DeviceKeys } from '../devices/device-keys.js';
import { BadUserInputError } from '../errors/graphql-errors.js';
import type { Store } from '../store/ports.js';
import type { TotpRecord } from '../store/records.js';
import type { StepUp } from './step-up.js';
import { matchTotp, newTotpSecret, otpauthUri } from './totp.js';
import type { Viewer } from './viewer.js';

export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Smartlock';
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export interface TotpDeps {
  store: Store;
  keys: DeviceKeys;
  audit: AuditService;
  stepUp: StepUp;
  now?: () => number;
}

export type SecondFactorUsed = 'totp' | 'recovery';

/** "abcde-fghij": 10 characters of an alphabet without look-alikes (~49 bits; guessing is throttled). */
function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.toLowerCase().replace(/[\s-]/g, '')).digest('hex');
}

/** Sealed like device secrets, bound to this user (a sealed value moved to another row does not open). */
export const totpSealContext = (userId: string) => `totp:${userId}`;

export class TotpService {
  private readonly now: () => number;

  constructor(private readonly deps: TotpDeps) {
    this.now = deps.now ?? Date.now;
  }

  async isOn(userId: string): Promise<boolean> {
    return (await this.deps.store.totp.find(userId))?.confirmedAt != null;
  }

  async status(userId: string): Promise<{ enabled: boolean; recoveryCodesLeft: number }> {
    const record = await this.deps.store.totp.find(userId);
    const enabled = record?.confirmedAt != null;
    return { enabled, recoveryCodesLeft: enabled ? (record?.recoveryHashes.length ?? 0) : 0 };
  }

  /** A new secret for the app to scan; replaces an unfinished enrolment, never a confirmed one. */
  async begin(viewer: Viewer): Promise<{ secret: string; otpauthUri: string }> {
    await this.deps.stepUp.require(viewer);
    const { user } = viewer;
    const secret = newTotpSecret();
    const sealed = this.deps.keys.seal(totpSealContext(user.id), Buffer.from(secret, 'utf8'));
    if (!(await this.deps.store.totp.saveUnconfirmed(user.id, sealed))) {
      throw new BadUserInputError('An authenticator app is already on. Turn it off first to add another.');
    }
    return { secret, otpauthUri: otpauthUri(secret, ISSUER, user.username) };
  }

  /** The first code turns it on; answers the recovery codes, shown this once. */
  async confirm(viewer: Viewer, code: string): Promise<string[]> {
    const { user } = viewer;
    const record = await this.deps.store.totp.find(user.id);
    if (!record || record.confirmedAt) throw new BadUserInputError('Start adding an authenticator app first.');
    const step = matchTotp(this.secretOf(record), code.replace(/\s/g, ''), this.now());
    if (step === null) throw new BadUserInputError('That code is not right. Check the time on your phone and type the newest code.', 'code');
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    if (!(await this.deps.store.totp.confirm(user.id, codes.map(hashRecoveryCode), step, new Date(this.now())))) {
      throw new BadUserInputError('Start adding an authenticator app first.');
    }
    await this.deps.stepUp.record(viewer); // a code just checked is a fresh proof
    await this.deps.audit.record({ actor: user.username, action: 'user.totpEnabled', deviceId: null, result: 'ok', detail: null });
    return codes;
  }

  async disable(viewer: Viewer): Promise<void> {
    await this.deps.stepUp.require(viewer);
    if (!(await this.deps.store.totp.remove(viewer.user.id))) return;
    await this.deps.audit.record({ actor: viewer.user.username, action: 'user.totpDisabled', deviceId: null, result: 'ok', detail: null });
  }

  /** A current code (each good once) or an unused recovery code; null for anything else. */
  async verify(userId: string, rawCode: string): Promise<SecondFactorUsed | null> {
    const record = await this.deps.store.totp.find(userId);
    if (!record?.confirmedAt) return null;
    const code = rawCode.trim().slice(0, 32);
    if (/^\d{6}$/.test(code.replace(/\s/g, ''))) {
      const step = matchTotp(this.secretOf(record), code.replace(/\s/g, ''), this.now());
      return step !== null && (await this.deps.store.totp.useStep(userId, step)) ? 'totp' : null;
    }
    return (await this.deps.store.totp.useRecoveryCode(userId, hashRecoveryCode(code))) ? 'recovery' : null;
  }

  private secretOf(record: TotpRecord): string {
    return this.deps.keys.open(totpSealContext(record.userId), record.secretSealed).toString('utf8');
  }
}
