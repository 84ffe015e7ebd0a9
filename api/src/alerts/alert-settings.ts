/** The owner's alert thresholds: validated, stored, audited, and applied at once. */
import type { Services } from '../app/services.js';
import { BadUserInputError } from '../errors/graphql-errors.js';
import type { LockPatch, LockRecord, UserRecord } from '../store/records.js';
import { lockNotFound } from '../locks/lock-access.js';

export const MAX_ALERT_MINUTES = 7 * 24 * 60;

export interface AlertSettingsInput {
  doorAjarMinutes?: number | null;
  unlockedMinutes?: number | null;
}

function minutes(value: number | null | undefined, field: string): number | null | undefined {
  if (value === undefined || value === null) return value;
  if (!Number.isInteger(value) || value < 1 || value > MAX_ALERT_MINUTES) {
    throw new BadUserInputError(`${field} must be a whole number of minutes from 1 to ${MAX_ALERT_MINUTES}, or null to turn the alert off.`, field);
  }
  return value;
}

const shown = (value: number | null) => (value === null ? 'off' : `${value} min`);

export async function setAlertSettings(
  services: Pick<Services, 'locks' | 'store' | 'audit' | 'events' | 'alerts'>,
  viewer: UserRecord,
  deviceId: string,
  input: AlertSettingsInput,
): Promise<LockRecord> {
  const patch: LockPatch = {};
  const doorAjar = minutes(input.doorAjarMinutes, 'doorAjarMinutes');
  const unlocked = minutes(input.unlockedMinutes, 'unlockedMinutes');
  if (doorAjar !== undefined) patch.alertDoorAjarMinutes = doorAjar;
  if (unlocked !== undefined) patch.alertUnlockedMinutes = unlocked;
  const before = await services.locks.get(viewer, deviceId, 'configure'); // NOT_FOUND for someone else's lock, FORBIDDEN for a guest
  const updated = await services.store.locks.update(deviceId, patch);
  if (!updated) throw lockNotFound(deviceId);
  await services.audit.record(
    {
      actor: viewer.username,
      action: 'lock.alertSettings',
      deviceId,
      result: 'ok',
      detail: `door ajar ${shown(before.alertDoorAjarMinutes)} → ${shown(updated.alertDoorAjarMinutes)}, unlocked ${shown(before.alertUnlockedMinutes)} → ${shown(updated.alertUnlockedMinutes)}`,
    },
    updated.owner,
  );
  services.events.publish('lock.changed', updated);
  // A threshold turned off clears its alert now; a shorter one may raise it now.
  return services.alerts.evaluate(updated);
}
