// @vitest-environment node
/**
 * The JS budget, measured on what `npm start` serves: the root `start` script runs `npm run build`
 * with whatever NODE_ENV the api runs with (the documented default is development). The app must
 * still be React's production build, under the budget, and without the DevTools banner.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PWA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(PWA_DIR, '..');
const BUDGET_KB = Number(/reportInitialSize\((\d+)\)/.exec(readFileSync(join(PWA_DIR, 'vite.config.ts'), 'utf8'))?.[1]);

let outDir: string;

/** The entry scripts of index.html and everything they import statically, each file once (lazy chunks excluded). */
function initialJs(dist: string): { file: string; code: string }[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const pending = [
    ...[...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => join(dist, m[1] ?? '')),
    ...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => join(dist, m[1] ?? '')),
  ];
  const files: { file: string; code: string }[] = [];
  const seen = new Set<string>();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '');
    files.push({ file, code });
    for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["']((?:\.{1,2}\/|\/)[^"']+\.js)["']/g)) {
      const spec = m[1] ?? '';
      pending.push(spec.startsWith('/') ? join(dist, spec) : resolve(dirname(file), spec));
    }
  }
  return files;
}

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'smartlock-pwa-dist-'));
  // The pwa workspace's build script, as `npm start` runs it, with the api's documented NODE_ENV.
  await promisify(execFile)('npm', ['run', 'build', '--workspace', 'pwa', '--', '--outDir', outDir, '--emptyOutDir'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development' },
    maxBuffer: 16 * 1024 * 1024,
  });
}, 180_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('the PWA build npm start serves (NODE_ENV=development)', () => {
  it('is the production build of React, under the initial JS budget', () => {
    expect(BUDGET_KB).toBeGreaterThan(0);
    const files = initialJs(outDir);
    expect(files.length).toBeGreaterThan(0);
    const kb = files.reduce((sum, f) => sum + gzipSync(f.code, { level: 9 }).length, 0) / 1024;
    expect(kb, `initial JS ${kb.toFixed(1)} KB gzipped`).toBeLessThanOrEqual(BUDGET_KB);
  });

  it('precaches every JS chunk, the lazily loaded pages included, so they open offline after a first visit', () => {
    const worker = readFileSync(join(outDir, 'sw.js'), 'utf8');
    const chunks = readdirSync(join(outDir, 'assets')).filter((n) => n.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(1);
    for (const name of chunks) expect(worker, name).toContain(`"assets/${name}"`);
  });

  it('ships no development-only React code anywhere', () => {
    const assets = join(outDir, 'assets');
    for (const name of readdirSync(assets).filter((n) => n.endsWith('.js'))) {
      const code = readFileSync(join(assets, name), 'utf8');
      expect(code, name).not.toContain('Download the React DevTools');
      expect(code, name).not.toContain('react-dom.development');
    }
  });
});
