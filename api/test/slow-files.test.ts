/**
 * test/slow-files.json names the files vitest.config.mts starts first: a renamed or deleted file
 * would silently drop out of that order, so every name must still be a test file here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiRoot } from '../src/app/paths.js';

const listed = JSON.parse(readFileSync(join(apiRoot(), 'test', 'slow-files.json'), 'utf8')) as Record<string, unknown>;

describe('the list of slow test files', () => {
  it('names existing test files, each with its seconds', () => {
    const files = Object.entries(listed).filter(([name]) => name !== '_');
    expect(files.length).toBeGreaterThan(0);
    for (const [name, seconds] of files) {
      expect({ name, exists: existsSync(join(apiRoot(), name)) }).toEqual({ name, exists: true });
      expect(name).toMatch(/^test\/.+\.test\.ts$/);
      expect(typeof seconds === 'number' && seconds > 0).toBe(true);
    }
  });
});
