import { describe, expect, it } from 'vitest';
import { HardwareDrift, RSSI_RANGE, startingCharge } from './hardware-drift.js';

const MINUTE = 60_000;
const T0 = 1_700_000_000_000;

describe('simulated hardware drift', () => {
  it('drains one percent per drainMinutes from the starting charge, never below 0', () => {
    const drift = new HardwareDrift({ battery: 3, drainMinutes: 10 }, T0);
    expect(drift.read(T0).battery).toBe(3);
    expect(drift.read(T0 + 9 * MINUTE).battery).toBe(3);
    expect(drift.read(T0 + 10 * MINUTE).battery).toBe(2);
    expect(drift.read(T0 + 25 * MINUTE).battery).toBe(1);
    expect(drift.read(T0 + 500 * MINUTE).battery).toBe(0);
  });

  it('keeps the charge without a drain, and reports none without a battery', () => {
    expect(new HardwareDrift({ battery: 80 }, T0).read(T0 + 1000 * MINUTE).battery).toBe(80);
    expect(new HardwareDrift({}, T0).read(T0).battery).toBeUndefined();
  });

  it('walks the signal in small steps within the range', () => {
    let i = 0;
    const randoms = [0.99, 0.99, 0.0, 0.5];
    const drift = new HardwareDrift({ rssi: -46, rssiWalk: true, random: () => randoms[i++ % randoms.length] ?? 0.5 }, T0);
    const readings = Array.from({ length: 200 }, () => drift.read(T0).rssi);
    expect(readings[0]).toBe(-45); // +3 clamped at the top
    for (const rssi of readings) expect(rssi).toBeGreaterThanOrEqual(RSSI_RANGE.min);
    for (const rssi of readings) expect(rssi).toBeLessThanOrEqual(RSSI_RANGE.max);
    for (let k = 1; k < readings.length; k++) expect(Math.abs((readings[k] ?? 0) - (readings[k - 1] ?? 0))).toBeLessThanOrEqual(3);
  });

  it('reaches the bottom of the range with a falling walk and stays there', () => {
    const drift = new HardwareDrift({ rssi: -80, rssiWalk: true, random: () => 0 }, T0);
    const last = Array.from({ length: 10 }, () => drift.read(T0).rssi).at(-1);
    expect(last).toBe(RSSI_RANGE.min);
  });

  it('keeps a fixed signal without the walk', () => {
    const drift = new HardwareDrift({ rssi: -60 }, T0);
    expect([drift.read(T0).rssi, drift.read(T0).rssi]).toEqual([-60, -60]);
  });

  it('gives each lock a stable starting charge between 55 and 100', () => {
    expect(startingCharge('demo-garage')).toBe(startingCharge('demo-garage'));
    for (const id of ['a', 'sim-1', 'sim-2', 'demo-front-door', 'demo-shed']) {
      expect(startingCharge(id)).toBeGreaterThanOrEqual(55);
      expect(startingCharge(id)).toBeLessThanOrEqual(100);
    }
  });
});
