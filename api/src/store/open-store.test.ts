import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './open-store.js';

describe('openStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smartlock-open-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens SQLite when no MongoDB URI is given, creating the parent directory', async () => {
    const file = join(dir, 'nested', 'data', 'smartlock.db');
    const store = await openStore({ sqliteFile: file });
    try {
      expect(store.kind).toBe('sqlite');
      await expect(store.ping()).resolves.toBeUndefined();
      expect((await stat(file)).isFile()).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('treats an empty MongoDB URI as not given', async () => {
    const store = await openStore({ mongodbUri: '', sqliteFile: join(dir, 'store.db') });
    expect(store.kind).toBe('sqlite');
    await store.close();
  });
});
