/**
 * Which alerts a lock's row calls for at a given time. Pure: the same row and
 * time always give the same list, which is what makes evaluating it again
 * (another replica, the next sweep, a retried write) harmless.
 */
import type { LockAlert, LockAlertKind, LockPatch, LockRecord } from '../store/records.js';

/** What a person reads in the app (and, later, in a push notification). */
export const ALERT_TEXT: Record<LockAlertKind, string> = {
  DOOR_AJAR: 'Door left open',
  LEFT_UNLOCKED: 'Left unlocked',
  LOCKED_DOOR_OPEN: 'Bolt thrown while the door is open',
  BAD_SIGNATURES: 'Messages with bad signatures',
};

export interface AlertInputs {
  now: number;
  /** How long a bad-signature alert stays up after its last burst. */
  badSignatureWindowMs: number;
  /** A burst of bad signatures was just counted for this lock. */
  badSignatureBurst?: boolean;
}

const MINUTE_MS = 60_000;

function heldFor(since: Date | null, minutes: number | null, now: number): boolean {
  return since !== null && minutes !== null && now - since.getTime() >= minutes * MINUTE_MS;
}

/** The kinds whose condition holds now. */
function conditions(lock: LockRecord, inputs: AlertInputs): Set<LockAlertKind> {
  const held = new Set<LockAlertKind>();
  if (lock.door === 'OPEN' && heldFor(lock.doorOpenSince, lock.alertDoorAjarMinutes, inputs.now)) held.add('DOOR_AJAR');
  if (lock.status === 'UNLOCKED' && heldFor(lock.unlockedSince, lock.alertUnlockedMinutes, inputs.now)) held.add('LEFT_UNLOCKED');
  // Locked with the door open (or a door forced open): the bolt secures nothing and may hit the frame.
  if (lock.status === 'LOCKED' && lock.door === 'OPEN') held.add('LOCKED_DOOR_OPEN');
  const burst = lock.alerts.find((alert) => alert.kind === 'BAD_SIGNATURES');
  if (inputs.badSignatureBurst || (burst && inputs.now - burst.since.getTime() < inputs.badSignatureWindowMs)) held.add('BAD_SIGNATURES');
  return held;
}

/**
 * The alerts the lock should show: those already raised keep their `since`,
 * new ones start now, ended ones go. A bad-signature alert is re-dated by a
 * burst at least half a window after it was raised, so it stays up while
 * bursts go on without a write per forged message.
 */
export function desiredAlerts(lock: LockRecord, inputs: AlertInputs): LockAlert[] {
  const held = conditions(lock, inputs);
  const next: LockAlert[] = [];
  for (const alert of lock.alerts) {
    if (!held.has(alert.kind)) continue;
    held.delete(alert.kind);
    const redate = alert.kind === 'BAD_SIGNATURES' && inputs.badSignatureBurst && inputs.now - alert.since.getTime() >= inputs.badSignatureWindowMs / 2;
    next.push(redate ? { kind: alert.kind, since: new Date(inputs.now) } : alert);
  }
  for (const kind of held) next.push({ kind, since: new Date(inputs.now) });
  return next;
}

export function sameAlerts(a: LockAlert[], b: LockAlert[]): boolean {
  return a.length === b.length && a.every((alert, i) => alert.kind === b[i]?.kind && alert.since.getTime() === b[i]?.since.getTime());
}

/**
 * The since-times a status patch implies: when the door opened and when the
 * bolt was unlocked, kept while the condition lasts, null once it ends.
 */
export function sinceFields(before: LockRecord, patch: LockPatch, at: Date): LockPatch {
  const fields: LockPatch = {};
  if (patch.door !== undefined) {
    if (patch.door !== 'OPEN') fields.doorOpenSince = null;
    else if (before.door !== 'OPEN' || before.doorOpenSince === null) fields.doorOpenSince = at;
  }
  if (patch.status !== undefined) {
    if (patch.status !== 'UNLOCKED') fields.unlockedSince = null;
    else if (before.status !== 'UNLOCKED' || before.unlockedSince === null) fields.unlockedSince = at;
  }
  return fields;
}
