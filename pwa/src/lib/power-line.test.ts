import { describe, expect, it } from 'vitest';
import { lowBatteryWarning, powerLineText } from './power-line';

describe('the power line of a lock page', () => {
  it('says how the lock is powered and how often it checks in', () => {
    expect(powerLineText({ power: 'BATTERY', heartbeatSeconds: 60, lowBattery: false })).toBe('On battery · checks in every 60 s');
    expect(powerLineText({ power: 'LOW', heartbeatSeconds: 300, lowBattery: true })).toBe('On battery · checks in every 300 s');
    expect(powerLineText({ power: 'MAINS', heartbeatSeconds: 9, lowBattery: false })).toBe('On mains power · checks in every 9 s');
    expect(powerLineText({ power: null, heartbeatSeconds: 9, lowBattery: false })).toBe('Checks in every 9 s');
  });

  it('warns of a nearly flat battery, with auto-relock off, and of a low one', () => {
    expect(lowBatteryWarning({ power: 'LOW', heartbeatSeconds: 60, lowBattery: true })).toMatch(/^Battery nearly flat: auto-relock is off/);
    expect(lowBatteryWarning({ power: 'BATTERY', heartbeatSeconds: 60, lowBattery: true })).toBe('Battery low: change the batteries soon.');
    expect(lowBatteryWarning({ power: 'BATTERY', heartbeatSeconds: 60, lowBattery: false })).toBeNull();
  });
});
