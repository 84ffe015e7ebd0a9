import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../src/config/env-schema.js';

/*
 * The config schema is the one list of settings; README's "Configuration" table and .env.example
 * explain them in prose. This holds both to the schema: every setting documented once in each,
 * nothing documented that the api does not read, and every default they show is the schema's.
 */

const repoRoot = path.resolve(__dirname, '../..');
const read = (relative: string): string => readFileSync(path.join(repoRoot, relative), 'utf8');
const settings = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];
const isSetting = (name: string): name is keyof typeof envSchema.shape => (settings as string[]).includes(name);
/** Read by docker-compose.yml for its other services (e.g. the broker's admin password), not by the api. */
const composeOnly = new Set([...read('docker-compose.yml').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] ?? '').filter((name) => !isSetting(name)));

/** What the schema makes of a value (undefined: of the variable left unset). */
function parsed(name: keyof typeof envSchema.shape, value: string | undefined): unknown {
  const result = envSchema.shape[name].safeParse(value);
  return result.success ? result.data : { invalid: result.error.issues.map((i) => i.message) };
}

interface ExampleLine {
  name: string;
  value: string;
  commented: boolean;
}

function exampleLines(): ExampleLine[] {
  return [...read('.env.example').matchAll(/^(# )?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => ({ name: m[2] ?? '', value: m[3] ?? '', commented: m[1] !== undefined }));
}

interface TableRow {
  names: string[];
  defaults: string;
}

function configurationTable(): TableRow[] {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('\n## Configuration\n'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| variable |')) + 1);
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [variables = '', defaults = ''] = line.split(' | ');
      return { names: [...variables.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] ?? ''), defaults: defaults.trim() };
    });
}

describe('the settings documentation', () => {
  it('.env.example lists every setting once and nothing else (but what docker-compose.yml reads)', () => {
    const names = exampleLines().map((l) => l.name);
    expect(names.filter((n) => !isSetting(n) && !composeOnly.has(n))).toEqual([]);
    expect(settings.filter((s) => !names.includes(s))).toEqual([]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('.env.example shows each setting with a value the schema accepts, and its default where it shows one', () => {
    const wrong: string[] = [];
    for (const { name, value, commented } of exampleLines()) {
      if (!isSetting(name) || value === '') continue;
      const own = parsed(name, value);
      if (typeof own === 'object' && own !== null && 'invalid' in own) wrong.push(`${name}=${value}: ${JSON.stringify(own)}`);
      // An active line is what the api runs with when .env is a plain copy: it must be the default.
      const unset = parsed(name, undefined);
      if (!commented && unset !== undefined && !isDeepStrictEqual(own, unset)) wrong.push(`${name}=${value} is not the default (${JSON.stringify(unset)})`);
    }
    expect(wrong).toEqual([]);
  });

  it('README\'s Configuration table has one row per setting and nothing else', () => {
    const names = configurationTable().flatMap((row) => row.names);
    expect(names.filter((n) => !isSetting(n))).toEqual([]);
    expect(settings.filter((s) => !names.includes(s))).toEqual([]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('README\'s defaults are the schema\'s', () => {
    const wrong: string[] = [];
    for (const { names, defaults } of configurationTable()) {
      // `a` / `b` for two settings in one row; prose (— , "generated …", "any outside production") is read by people.
      const shown = defaults.split(' / ').map((d) => /^`([^`]*)`$/.exec(d.trim())?.[1]);
      names.forEach((name, i) => {
        const value = shown.length === names.length ? shown[i] : undefined;
        if (value === undefined || !isSetting(name)) return;
        const unset = parsed(name, undefined);
        if (!isDeepStrictEqual(parsed(name, value), unset)) wrong.push(`${name}: README shows ${value}, the default is ${JSON.stringify(unset)}`);
      });
    }
    expect(wrong).toEqual([]);
  });
});
