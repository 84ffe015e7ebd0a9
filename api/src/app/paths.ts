import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The api package's root folder, found by walking up to its package.json, so
 * paths work the same from compiled `dist/src/…` and from sources under test.
 */
export function apiRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@smartlock/api') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the @smartlock/api package above ${from}`);
    dir = parent;
  }
}
