import { describe, expect, it } from 'vitest';
import type { LockRecord } from '../store/records.js';
import { desiredAlerts, sinceFields } from './alert-rules.js';

const T = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;
const WINDOW = 10 * MINUTE;
const base = {
  status: 'LOCKED',
  door: 'CLOSED',
  doorOpenSince: null,
  unlockedSince: null,
  alertDoorAjarMinutes: 10,
  alertUnlockedMinutes: null,
  alerts: [],
} as const;
const lock = (fields: Partial<LockRecord>): LockRecord => ({ ...base, ...fields }) as unknown as LockRecord; // only the fields the rules read
const at = (offsetMs: number) => new Date(T + offsetMs);

describe('alert rules', () => {
  it('raises door ajar at the threshold exactly, keeps its since, and drops it when the door closes', () => {
    const open = lock({ status: 'UNLOCKED', door: 'OPEN', doorOpenSince: at(0) });
    expect(desiredAlerts(open, { now: T + 10 * MINUTE - 1, badSignatureWindowMs: WINDOW })).toEqual([]);
    const raised = desiredAlerts(open, { now: T + 10 * MINUTE, badSignatureWindowMs: WINDOW });
    expect(raised).toEqual([{ kind: 'DOOR_AJAR', since: at(10 * MINUTE) }]);
    expect(desiredAlerts({ ...open, alerts: raised }, { now: T + 99 * MINUTE, badSignatureWindowMs: WINDOW })).toEqual(raised);
    expect(desiredAlerts({ ...open, door: 'CLOSED', alerts: raised }, { now: T + 99 * MINUTE, badSignatureWindowMs: WINDOW })).toEqual([]);
  });

  it('re-dates a bad-signature alert only for a burst half a window after it was raised, and ends it a window after', () => {
    const alerted = lock({ alerts: [{ kind: 'BAD_SIGNATURES', since: at(0) }] });
    const burst = (now: number) => desiredAlerts(alerted, { now, badSignatureWindowMs: WINDOW, badSignatureBurst: true });
    expect(burst(T + WINDOW / 2 - 1)).toEqual(alerted.alerts);
    expect(burst(T + WINDOW / 2)).toEqual([{ kind: 'BAD_SIGNATURES', since: at(WINDOW / 2) }]);
    expect(desiredAlerts(alerted, { now: T + WINDOW - 1, badSignatureWindowMs: WINDOW })).toEqual(alerted.alerts);
    expect(desiredAlerts(alerted, { now: T + WINDOW, badSignatureWindowMs: WINDOW })).toEqual([]);
  });

  it('starts since-times when the door opens or the bolt is unlocked, keeps them while that lasts, and ends them', () => {
    const closed = lock({});
    expect(sinceFields(closed, { door: 'OPEN', status: 'UNLOCKED' }, at(5))).toEqual({ doorOpenSince: at(5), unlockedSince: at(5) });
    const open = lock({ door: 'OPEN', doorOpenSince: at(0), status: 'UNLOCKED', unlockedSince: at(0) });
    expect(sinceFields(open, { door: 'OPEN', status: 'UNLOCKED' }, at(5))).toEqual({});
    expect(sinceFields(open, { door: 'CLOSED', status: 'LOCKED' }, at(5))).toEqual({ doorOpenSince: null, unlockedSince: null });
    expect(sinceFields(open, { boltMotion: 'LOCKING' }, at(5))).toEqual({}); // moving: the last settled position stands
  });
});
