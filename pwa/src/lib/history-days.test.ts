import { describe, expect, it } from 'vitest';
import { dayHeading, groupByDay, whenText } from './history-days';

// Local times, so that the test holds in any time zone.
const now = new Date(2026, 10, 30, 15, 0).getTime(); // Monday 30 November 2026, 15:00
const local = (...parts: [number, number, number, number, number]) => new Date(...parts).toISOString();

describe('history days', () => {
  it('heads days as people say them', () => {
    expect(dayHeading(local(2026, 10, 30, 0, 1), now, 'en-GB')).toBe('Today');
    expect(dayHeading(local(2026, 10, 29, 23, 59), now, 'en-GB')).toBe('Yesterday');
    expect(dayHeading(local(2026, 10, 26, 9, 0), now, 'en-GB')).toBe('Thursday');
    expect(dayHeading(local(2026, 10, 2, 9, 0), now, 'en-GB')).toBe('Monday 2 November');
    expect(dayHeading(local(2025, 11, 31, 9, 0), now, 'en-GB')).toBe('Wednesday, 31 December 2025');
  });

  it('gives today a relative time and an earlier day the time of day', () => {
    expect(whenText(new Date(now - 120_000).toISOString(), now, 'en-GB')).toBe('2 min ago');
    expect(whenText(new Date(now - 20_000).toISOString(), now, 'en-GB')).toBe('just now');
    expect(whenText(local(2026, 10, 29, 9, 5), now, 'en-GB')).toBe('at 9:05');
  });

  it('groups the lines of one day under one heading, keeping their order', () => {
    const lines = [
      { at: local(2026, 10, 30, 14, 0), text: 'a' },
      { at: local(2026, 10, 29, 22, 0), text: 'c' },
      { at: local(2026, 10, 30, 1, 0), text: 'b' },
      { at: local(2026, 10, 20, 8, 0), text: 'd' },
    ];
    const groups = groupByDay(lines, now, 'en-GB');
    expect(groups.map((group) => [group.heading, group.lines.map((line) => line.text).join('')])).toEqual([
      ['Today', 'ab'],
      ['Yesterday', 'c'],
      ['Friday 20 November', 'd'],
    ]);
    expect(groups[0]?.day).toBe('2026-11-30');
  });
});
