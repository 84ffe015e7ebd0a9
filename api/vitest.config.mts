import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import slowFiles from './test/slow-files.json' with { type: 'json' };

const require = createRequire(import.meta.url);

/**
 * The slowest files first, so that the two workers finish together. Vitest orders by the durations
 * it cached on a previous run, but CI starts from a fresh `npm ci` without that cache: it then
 * orders by file size and could start a two-minute file last, with the other worker idle meanwhile.
 */
class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = (file: TestSpecification) => (slowFiles as Record<string, unknown>)[relative(file.project.config.root, file.moduleId)];
    const weight = (file: TestSpecification) => { const s = seconds(file); return typeof s === 'number' ? s : 0; };
    // Array.prototype.sort is stable: the other files keep vitest's own order.
    return (await super.sort(files)).sort((a, b) => weight(b) - weight(a));
  }
}

const ALL = ['src/**/*.test.ts', 'test/**/*.test.ts'];
/**
 * Files that need a module registry of their own: query-plans mocks better-sqlite3, and mongoose
 * keeps its models (and what it learned of their collections) in one process-wide registry.
 */
const ISOLATED = ['test/query-plans.test.ts', 'test/flask-*.test.ts', 'src/store/mongo/*.test.ts'];

export default defineConfig({
  resolve: {
    // One copy of graphql: ESM tests beside CommonJS type-graphql would otherwise load two.
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    setupFiles: ['reflect-metadata'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker per core minus one: a single worker on the 2-core CI machine.
    // Most of these tests wait on processes, brokers and timers rather than compute, so two files at
    // once halve the wall time and keep `.ci/run` within its 30 minutes.
    maxWorkers: 2,
    sequence: { sequencer: SlowestFirstSequencer },
    projects: [
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
      // Every other file shares its worker's modules with the files before it: importing the app
      // afresh for each of ~250 files took more CPU than their tests (vitest's "import" 494 s of
      // 1,110 s on CI). They start from their own servers, stores and brokers, not module state.
      { extends: true, test: { name: 'shared', include: ALL, exclude: ISOLATED, isolate: false } },
    ],
  },
});
