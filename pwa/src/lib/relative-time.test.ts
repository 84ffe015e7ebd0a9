import { describe, expect, it } from 'vitest';
import { lastSeenText, relativeTime } from './relative-time';

const now = Date.parse('2025-01-01T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('relativeTime', () => {
  it('counts seconds under a minute', () => {
    expect(relativeTime(ago(12_000), now)).toBe('12 s ago');
    expect(relativeTime(ago(0), now)).toBe('0 s ago');
    expect(relativeTime(ago(59_999), now)).toBe('59 s ago');
  });

  it('counts minutes under an hour', () => {
    expect(relativeTime(ago(3 * 60_000 + 20_000), now)).toBe('3 min ago');
    expect(relativeTime(ago(60_000), now)).toBe('1 min ago');
  });

  it('counts hours, then days', () => {
    expect(relativeTime(ago(5 * 3_600_000), now)).toBe('5 h ago');
    expect(relativeTime(ago(3 * 86_400_000), now)).toBe('3 d ago');
  });

  it('says "never seen" without a time', () => {
    expect(relativeTime(null, now)).toBe('never seen');
    expect(relativeTime(undefined, now)).toBe('never seen');
    expect(relativeTime('not a date', now)).toBe('never seen');
  });

  it('treats a clock slightly ahead as just now', () => {
    expect(relativeTime(ago(-2_000), now)).toBe('0 s ago');
  });

  it('phrases the card text', () => {
    expect(lastSeenText(ago(12_000), now)).toBe('Last seen 12 s ago');
    expect(lastSeenText(null, now)).toBe('Never seen');
  });
});
