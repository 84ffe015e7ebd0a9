import { describe, expect, it } from 'vitest';
import { hasEventData, minuteBuckets, pruneTimes, summarizeBuckets } from './event-buckets';

const NOW = Date.parse('2025-01-01T12:00:30Z');

describe('events per minute', () => {
  it('counts events into minute buckets, the current minute last', () => {
    const buckets = minuteBuckets([NOW, NOW - 10_000, NOW - 60_000, NOW - 29 * 60_000, NOW - 31 * 60_000], NOW);
    expect(buckets).toHaveLength(30);
    expect(buckets[29]).toBe(2);
    expect(buckets[28]).toBe(1);
    expect(buckets[0]).toBe(1);
    expect(buckets.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('drops times outside the window', () => {
    expect(pruneTimes([NOW, NOW - 31 * 60_000], NOW)).toEqual([NOW]);
  });

  it('summarises the chart in words', () => {
    expect(summarizeBuckets([0, 3, 1])).toBe('4 events in the last 3 minutes; 1 this minute; peak 3 per minute.');
  });

  it('has no data when every minute is empty, and says so instead of "0"', () => {
    expect(hasEventData([])).toBe(false);
    expect(hasEventData([0, 0, 0])).toBe(false);
    expect(hasEventData([0, 1, 0])).toBe(true);
    expect(summarizeBuckets([0, 0, 0])).toBe('No data: no events in the last 3 minutes.');
  });
});
