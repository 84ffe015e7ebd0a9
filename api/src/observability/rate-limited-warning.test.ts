import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RateLimitedWarning } from './rate-limited-warning.js';

describe('RateLimitedWarning', () => {
  it('logs the first warning, holds back repeats for the interval, then says how many it held back', () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    let now = 1_000;
    const warning = new RateLimitedWarning(log, 'publish failed', 30_000, () => now);
    warning.warn({ event: 'lock.changed' });
    now += 10_000;
    warning.warn({ event: 'lock.changed' });
    warning.warn({ event: 'audit.appended' });
    now += 20_000;
    warning.warn({ event: 'command.updated' });
    expect(lines.map((l) => [l.msg, l.event, l.suppressed])).toEqual([
      ['publish failed', 'lock.changed', 0],
      ['publish failed', 'command.updated', 2],
    ]);
  });
});
