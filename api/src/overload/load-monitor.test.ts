import { describe, expect, it } from 'vitest';
import { LoadMonitor } from './load-monitor.js';

function monitorAt(start: number) {
  const clock = { now: start };
  const monitor = new LoadMonitor({ lagThresholdMs: 100, holdMs: 2000, now: () => clock.now });
  return { clock, monitor };
}

describe('LoadMonitor', () => {
  it('stays calm while lag is under the threshold', () => {
    const { clock, monitor } = monitorAt(0);
    for (let i = 0; i < 10; i += 1) {
      clock.now += 50;
      monitor.record(99);
    }
    expect(monitor.overloaded()).toBe(false);
    expect(monitor.graceMs(30_000)).toBe(0);
  });

  it('counts the stalled time before the late sample as overloaded, and holds the state for holdMs', () => {
    const { clock, monitor } = monitorAt(10_000);
    monitor.record(5000); // the loop was stuck from 5,000 to 10,000
    expect(monitor.overloaded()).toBe(true);
    clock.now = 11_999;
    expect(monitor.overloaded()).toBe(true);
    clock.now = 20_000;
    expect(monitor.overloaded()).toBe(false);
    expect(monitor.graceMs(30_000)).toBe(7000); // 5 s stuck + 2 s hold
    expect(monitor.graceMs(9000)).toBe(1000); // only the part inside the window
    expect(monitor.overloadedMsTotal()).toBe(7000);
  });

  it('tells listeners when overload starts and ends', () => {
    const { clock, monitor } = monitorAt(0);
    const changes: boolean[] = [];
    monitor.onChange((overloaded) => changes.push(overloaded));
    clock.now = 1000;
    monitor.record(500);
    clock.now = 4000;
    monitor.record(0);
    expect(changes).toEqual([true, false]);
  });

  it('is overloaded for holdMs when another part reports falling behind, and counts it as grace', () => {
    const { clock, monitor } = monitorAt(0);
    clock.now = 1000;
    monitor.markBehind();
    expect(monitor.overloaded()).toBe(true);
    clock.now = 3500;
    expect(monitor.overloaded()).toBe(false);
    expect(monitor.graceMs(30_000)).toBe(2000);
  });
});
