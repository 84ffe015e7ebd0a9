/** Log format: readable at a terminal, JSON wherever a program reads it. */
import { describe, expect, it } from 'vitest';
import { chooseLogFormat } from './logger.js';

describe('chooseLogFormat', () => {
  it('is pretty at a terminal outside production, JSON when piped or in production, and as set otherwise', () => {
    expect(chooseLogFormat('auto', 'development', true)).toBe('pretty');
    expect(chooseLogFormat('auto', 'development', false)).toBe('json');
    expect(chooseLogFormat('auto', 'production', true)).toBe('json');
    expect(chooseLogFormat('pretty', 'production', false)).toBe('pretty');
    expect(chooseLogFormat('json', 'development', true)).toBe('json');
  });
});
