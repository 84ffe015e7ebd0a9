import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, schemaFileStatus } from '../src/graphql/schema-file.js';
import { buildAppSchema, printAppSchema } from '../src/graphql/schema.js';

describe('schema.graphql', () => {
  it('is committed and current (run `npm run schema` if this fails)', async () => {
    expect(schemaFileStatus(SCHEMA_FILE, printAppSchema(await buildAppSchema()))).toBe('current');
  });

  it('is detected as stale when it differs from the code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartlock-schema-'));
    try {
      const expected = printAppSchema(await buildAppSchema());
      const copy = join(dir, 'schema.graphql');
      writeFileSync(copy, readFileSync(SCHEMA_FILE, 'utf8').replace('signUp', 'signUpOld'));
      expect(schemaFileStatus(copy, expected)).toBe('stale');
      expect(schemaFileStatus(join(dir, 'missing.graphql'), expected)).toBe('missing');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
