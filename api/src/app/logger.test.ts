/** Log format: readable at a terminal, JSON wherever a program reads it. */
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { childOnFirstUse, chooseLogFormat } from './logger.js';

describe('chooseLogFormat', () => {
  it('is pretty at a terminal outside production, JSON when piped or in production, and as set otherwise', () => {
    expect(chooseLogFormat('auto', 'development', true)).toBe('pretty');
    expect(chooseLogFormat('auto', 'development', false)).toBe('json');
    expect(chooseLogFormat('auto', 'production', true)).toBe('json');
    expect(chooseLogFormat('pretty', 'production', false)).toBe('pretty');
    expect(chooseLogFormat('json', 'development', true)).toBe('json');
  });
});

describe('childOnFirstUse', () => {
  it('makes the child on the first call only, and it logs with its bindings', () => {
    const lines: string[] = [];
    const log = pino({ base: null, timestamp: false }, { write: (line: string) => void lines.push(line) });
    const child = vi.spyOn(log, 'child');
    const operationLog = childOnFirstUse(log, { requestId: 'r-1', transport: 'ws' });
    expect(child).not.toHaveBeenCalled();
    operationLog().info('first');
    operationLog().info('second');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      { level: 30, requestId: 'r-1', transport: 'ws', msg: 'first' },
      { level: 30, requestId: 'r-1', transport: 'ws', msg: 'second' },
    ]);
  });
});
