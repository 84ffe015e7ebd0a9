import { describe, expect, it } from 'vitest';
import { withPresent, linePath, offlineSpans, RSSI_SCALE, signalText, signalWords, summarizeDiagnostics, timeTicks, timeX, uptimeText, valueY, type DiagnosticsPointView } from './diagnostics';

const H = 3_600_000;
const TO = Date.parse('2025-01-02T12:00:00Z');
const FROM = TO - 24 * H;
const box = { width: 240, height: 100 };
const on = (hoursAgo: number, battery: number, rssi: number): DiagnosticsPointView => ({ at: TO - hoursAgo * H, online: true, battery, rssi });
const off = (hoursAgo: number): DiagnosticsPointView => ({ at: TO - hoursAgo * H, online: false, battery: null, rssi: null });

describe('diagnostics in words', () => {
  it('names the signal and gives the dBm', () => {
    expect(signalWords(-45)).toBe('Excellent');
    expect(signalWords(-60)).toBe('Good');
    expect(signalWords(-70)).toBe('Fair');
    expect(signalWords(-85)).toBe('Poor');
    expect(signalText(-61)).toBe('Good (-61 dBm)');
    expect(signalText(null)).toBe('Unknown');
  });

  it('says uptime the way people do', () => {
    expect(uptimeText(12)).toBe('less than a minute');
    expect(uptimeText(60)).toBe('1 minute');
    expect(uptimeText(3599)).toBe('59 minutes');
    expect(uptimeText(7200)).toBe('2 hours');
    expect(uptimeText(3 * 86_400 + 5)).toBe('3 days');
    expect(uptimeText(86_400)).toBe('1 day');
    expect(uptimeText(null)).toBe('Unknown');
  });

  it('labels the time axis for each range', () => {
    expect(timeTicks('DAY')[0]).toBe('24 h ago');
    expect(timeTicks('WEEK')[0]).toBe('7 d ago');
    expect(timeTicks('WEEK').at(-1)).toBe('now');
  });
});

describe('diagnostics chart', () => {
  it('scales time left to right and values bottom to top, clamped to the box', () => {
    expect(timeX(FROM, FROM, TO, box)).toBe(0);
    expect(timeX(TO - 12 * H, FROM, TO, box)).toBe(120);
    expect(timeX(TO + H, FROM, TO, box)).toBe(240);
    expect(valueY(100, 0, 100, box)).toBe(0);
    expect(valueY(25, 0, 100, box)).toBe(75);
    expect(valueY(-120, RSSI_SCALE.min, RSSI_SCALE.max, box)).toBe(100);
  });

  it('finds offline stretches, one still open running to now', () => {
    const points = [on(20, 90, -50), off(10), on(9, 89, -60), off(2)];
    expect(offlineSpans(points, FROM, TO)).toEqual([
      { start: TO - 10 * H, end: TO - 9 * H },
      { start: TO - 2 * H, end: TO },
    ]);
    expect(offlineSpans([on(5, 1, -50)], FROM, TO)).toEqual([]);
  });

  it('draws a line through readings and breaks it where the lock was offline', () => {
    const points = [on(24, 100, -50), on(12, 50, -60), off(6), on(0, 0, -70)];
    expect(linePath(points, (p) => p.battery, { min: 0, max: 100 }, FROM, TO, box)).toBe('M0.0 0.0 L120.0 50.0 M240.0 100.0');
    expect(linePath([], (p) => p.battery, { min: 0, max: 100 }, FROM, TO, box)).toBe('');
  });

  it('summarises the chart in one sentence', () => {
    const points = [on(20, 92, -48), off(10), on(9.5, 90, -71), on(1, 88, -60)];
    expect(summarizeDiagnostics(points, 'DAY', FROM, TO)).toBe('In the last 24 hours: battery 92 % to 88 %; signal -48 to -71 dBm; offline once, 30 minutes in all.');
    expect(summarizeDiagnostics([on(1, 50, -50)], 'WEEK', TO - 168 * H, TO)).toBe('In the last 7 days: battery 50 % to 50 %; signal -50 to -50 dBm; online throughout.');
    expect(summarizeDiagnostics([], 'DAY', FROM, TO)).toBe('No diagnostics in the last 24 hours.');
  });

  it('adds the readings now to the history while the lock is online', () => {
    const history = [on(5, 80, -60)];
    expect(withPresent(history, on(0, 79, -61))).toEqual([on(5, 80, -60), on(0, 79, -61)]);
    expect(withPresent(history, off(0))).toEqual(history);
    expect(withPresent([on(0, 80, -60)], on(0, 79, -61))).toEqual([on(0, 80, -60)]);
  });
});
