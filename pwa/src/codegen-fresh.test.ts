// @vitest-environment node
/**
 * The generated client in src/gql/ is committed; this fails when it no longer matches what the
 * root codegen.yml produces from schema.graphql and the app's documents.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const committedDir = fileURLToPath(new URL('./gql/', import.meta.url));
const OUTPUT_KEY = 'pwa/src/gql/';

describe('generated GraphQL client', () => {
  const tempDir = mkdtempSync(join(tmpdir(), 'smartlock-codegen-'));
  afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

  it('is up to date with schema.graphql and the documents (else: run npm run codegen)', async () => {
    const { config } = await loadCodegenConfig({ configFilePath: join(repoRoot, 'codegen.yml') });
    const target = config.generates[OUTPUT_KEY];
    expect(target, `codegen.yml must generate ${OUTPUT_KEY}`).toBeDefined();
    await generate({ ...config, cwd: repoRoot, silent: true, generates: { [`${tempDir}/`]: target! } }, true);

    const fresh = readdirSync(tempDir).sort();
    const committed = readdirSync(committedDir).filter((name) => !name.endsWith('.test.ts')).sort();
    expect(committed, 'run npm run codegen').toEqual(fresh);
    for (const name of fresh) {
      const same = readFileSync(join(tempDir, name), 'utf8') === readFileSync(join(committedDir, name), 'utf8');
      expect(same, `src/gql/${name} is stale: run npm run codegen`).toBe(true);
    }
  }, 60_000);
});
