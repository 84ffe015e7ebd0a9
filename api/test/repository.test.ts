import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/*
 * What a newcomer meets on a fresh clone: `npm ci` without engine warnings, every Debian package the
 * tests link against installed by `.ci/run` and named in the README, and a repository that cites
 * nothing it does not contain.
 */

const repoRoot = path.resolve(__dirname, '../..');
const read = (relative: string): string => readFileSync(path.join(repoRoot, relative), 'utf8');

interface LockFile {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
}

function ciPackages(): string[] {
  const match = /^packages=\(([^)]*)\)/m.exec(read('.ci/run'));
  if (!match?.[1]) throw new Error('.ci/run has no packages=(…) line');
  return match[1].trim().split(/\s+/);
}

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files'], { cwd: repoRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('a fresh clone', () => {
  it('installs no package whose engines refuse the Node.js version the project promises', () => {
    const promised = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const minimum = semver.minVersion(promised);
    expect(minimum?.version).toBe('20.19.0');
    const lock = JSON.parse(read('package-lock.json')) as LockFile;
    const refusing = Object.entries(lock.packages)
      .map(([where, entry]) => ({ where, version: entry.version, range: Array.isArray(entry.engines) ? undefined : entry.engines?.node }))
      .filter(({ range }) => range !== undefined && !semver.satisfies(minimum ?? '0.0.0', range))
      .map(({ where, version, range }) => `${where}@${version} wants node ${range}`);
    expect(refusing).toEqual([]);
  });

  it('installs in CI every Debian package the firmware build checks for, and the README lists them', () => {
    const installed = ciPackages();
    const makefile = read('firmware/Makefile');
    // `$(call need, header:package …, command:package …)`: the package after each colon.
    const needed = [...makefile.matchAll(/^\t\$\(call need,([^)]*)\)/gm)].flatMap((m) => [...(m[1] ?? '').matchAll(/:([a-z0-9.+-]+)/g)].map((p) => p[1]));
    expect(needed.length).toBeGreaterThan(3);
    // The fuzzer's runtime is checked by linking, not by a header: its package is named by version.
    expect(makefile).toContain('libclang-rt-$$($(CLANGXX) -dumpversion');
    const clangMajor = execFileSync('sh', ['-c', 'clang++ -dumpversion 2>/dev/null || echo 14'], { encoding: 'utf8' }).trim().split('.')[0];
    expect(installed).toEqual(expect.arrayContaining([...new Set(needed)].concat(`libclang-rt-${clangMajor}-dev`, 'chromium')));
    const readme = read('README.md');
    expect(installed.filter((p) => !readme.includes(p))).toEqual([]);
  });

  it('cites no file that is not in the repository', () => {
    const files = trackedFiles();
    const present = new Set(files);
    const names = new Set(files.map((f) => path.basename(f)));
    const text = files.filter((f) => /\.(md|ts|tsx|mjs|js|cpp|h|ino|sh|yml|yaml|json|conf|toml)$|Makefile$/.test(f) && f !== 'package-lock.json');
    const outside: string[] = [];
    const broken: string[] = [];
    for (const file of text) {
      const content = read(file);
      // A document named anywhere (prose, comments, test names) must ship with the repository.
      for (const [name] of content.matchAll(/[A-Za-z0-9_-]+\.md\b/g)) {
        if (!names.has(name)) outside.push(`${file} names ${name}`);
      }
      // So must every path that climbs out of its folder: none may leave the repository.
      for (const [up] of content.matchAll(/(?<![\w.])(?:\.\.\/)+[\w.-]+/g)) {
        if (path.relative(repoRoot, path.resolve(repoRoot, path.dirname(file), up)).startsWith('..')) outside.push(`${file} points outside: ${up}`);
      }
      if (!file.endsWith('.md')) continue;
      for (const [, target] of content.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
        if (!target || /^[a-z]+:/i.test(target)) continue; // https:, mailto:
        const resolved = path.normalize(target.startsWith('/') ? target.slice(1) : path.join(path.dirname(file), target));
        if (!present.has(resolved) && !existsSync(path.join(repoRoot, resolved))) broken.push(`${file} → ${target}`);
      }
    }
    expect(outside).toEqual([]);
    expect(broken).toEqual([]);
  });
});
