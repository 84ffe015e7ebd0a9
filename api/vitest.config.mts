import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One copy of graphql: ESM tests beside CommonJS type-graphql would otherwise load two.
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['reflect-metadata'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker per core minus one: a single worker on the 2-core CI machine.
    // Most of these tests wait on processes, brokers and timers rather than compute, so two files at
    // once halve the wall time and keep `.ci/run` within its 30 minutes.
    maxWorkers: 2,
  },
});
