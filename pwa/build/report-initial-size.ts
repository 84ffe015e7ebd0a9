/**
 * Prints the gzipped size of the JavaScript a first visit must download before the app runs
 * (the entry chunk plus everything it imports statically; lazy routes are excluded) and fails
 * the build when it exceeds the budget.
 */
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

interface ChunkLike {
  type: 'chunk';
  isEntry: boolean;
  imports: string[];
  code: string;
}

interface BundleLike {
  [fileName: string]: { type: 'chunk' | 'asset' } | ChunkLike;
}

function isChunk(output: BundleLike[string] | undefined): output is ChunkLike {
  return output !== undefined && output.type === 'chunk';
}

/** The entry chunks and their static imports, each file once. */
export function initialChunks(bundle: BundleLike): ChunkLike[] {
  const seen = new Set<string>();
  const pending = Object.keys(bundle).filter((name) => {
    const output = bundle[name];
    return isChunk(output) && output.isEntry;
  });
  const chunks: ChunkLike[] = [];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    const chunk = bundle[name];
    if (!isChunk(chunk)) continue;
    chunks.push(chunk);
    pending.push(...chunk.imports);
  }
  return chunks;
}

export function reportInitialSize(budgetKb: number): Plugin {
  return {
    name: 'smartlock:report-initial-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const bytes = initialChunks(bundle as unknown as BundleLike).reduce((sum, chunk) => sum + gzipSync(chunk.code, { level: 9 }).length, 0);
      const kb = bytes / 1024;
      process.stdout.write(`\ninitial JS: ${kb.toFixed(1)} KB gzipped (budget ${budgetKb} KB)\n`);
      if (kb > budgetKb) this.error(`initial JS is ${kb.toFixed(1)} KB gzipped, over the ${budgetKb} KB budget`);
    },
  };
}
