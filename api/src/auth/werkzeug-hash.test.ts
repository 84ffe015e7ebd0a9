/**
 * Hashes made by Werkzeug itself (fixtures: api/test/fixtures/werkzeug/, made by its own
 * generate_password_hash from releases 2.0.3, 2.3.8 and 3.1.8; how is in make-fixtures.py).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PasswordCosts } from './password-costs.js';
import { PasswordHasher } from './password.js';
import { parseWerkzeugHash, verifyWerkzeugHash, werkzeugMethod } from './werkzeug-hash.js';

interface Fixture {
  werkzeug: string;
  method: string;
  password: string;
  hash: string;
}
const fixtures = JSON.parse(readFileSync(join(__dirname, '../../test/fixtures/werkzeug/werkzeug-hashes.json'), 'utf8')) as Fixture[];
const hasher = new PasswordHasher(12);

describe('Werkzeug password hashes', () => {
  it('has fixtures of every method each release offers', () => {
    const methods = new Set(fixtures.map((f) => f.hash.split('$')[0]));
    expect(methods).toEqual(
      new Set(['pbkdf2:sha256:260000', 'pbkdf2:sha256:150000', 'pbkdf2:sha512:10000', 'pbkdf2:sha1:1000', 'pbkdf2:sha256:600000', 'scrypt:32768:8:1', 'scrypt:16384:8:2', 'pbkdf2:sha256:1000000', 'scrypt:65536:8:1']),
    );
  });

  it.each(fixtures.map((f) => [`${f.werkzeug} ${f.hash.split('$')[0]} "${f.password}"`, f] as const))('accepts %s and nothing else', async (_name, fixture) => {
    expect(await hasher.verify(fixture.password, fixture.hash)).toBe(true);
    expect(hasher.needsRehash(fixture.hash)).toBe(true);
    // Werkzeug does not normalise: the NFKC form of a password is another password to it.
    if (fixture.password.normalize('NFKC') !== fixture.password) expect(await hasher.verify(fixture.password.normalize('NFKC'), fixture.hash)).toBe(false);
    if (fixture.password !== fixtures[0]!.password) return; // the checks below once per method (they are slow)
    expect(await hasher.verify(`${fixture.password} `, fixture.hash)).toBe(false);
    const lastHex = fixture.hash.at(-1) === '0' ? '1' : '0';
    expect(await hasher.verify(fixture.password, `${fixture.hash.slice(0, -1)}${lastHex}`)).toBe(false);
  });

  it('refuses what Werkzeug 3 refuses, malformed hashes, and work that could stall the server', () => {
    for (const stored of [
      'sha256$salt$0123abcd', // plain salted HMAC (Werkzeug < 3.0, never a default)
      'plain$$secret',
      'pbkdf2:sha256$salt$0123', // no iterations: its meaning changed between releases
      'pbkdf2:md5:1000$salt$0123',
      'pbkdf2:sha256:0$salt$0123',
      'pbkdf2:sha256:99999999$salt$0123',
      'pbkdf2:sha256:1e3$salt$0123',
      'scrypt:1048576:8:8$salt$0123',
      'scrypt:1000:8:1$salt$0123', // n not a power of two
      'scrypt:32768:8:1$$0123',
      'scrypt:32768:8:1$salt$xyz',
      'scrypt:32768:8:1$salt$abc',
      'scrypt:32768:8:1',
    ]) {
      expect(parseWerkzeugHash(stored), stored).toBeNull();
    }
    expect(werkzeugMethod('scrypt')?.name).toBe('scrypt:32768:8:1');
  });

  it('checks a password against the parsed hash in constant time, by its bytes', async () => {
    const parsed = parseWerkzeugHash(fixtures[0]!.hash)!;
    expect(await verifyWerkzeugHash(fixtures[0]!.password, parsed)).toBe(true);
    expect(await verifyWerkzeugHash('', parsed)).toBe(false);
  });

  it('counts each stored Werkzeug method as work every sign-in does (no timing oracle)', async () => {
    const ours = await hasher.hash('x');
    const costs = new PasswordCosts(hasher, () => Promise.resolve([ours, fixtures[0]!.hash, fixtures[0]!.hash, 'sha256$a$b']));
    const work = await costs.all();
    expect([...work.costs]).toEqual([12]);
    expect([...(work.werkzeugMethods ?? [])]).toEqual(['pbkdf2:sha256:260000']);
    await costs.note(fixtures.find((f) => f.hash.startsWith('scrypt:16384'))!.hash);
    expect([...((await costs.all()).werkzeugMethods ?? [])]).toEqual(['pbkdf2:sha256:260000', 'scrypt:16384:8:2']);
    // An unknown user and a migrated one both go through every method; only the real one can pass.
    const fixture = fixtures[0]!;
    expect(await hasher.verifyWithEqualWork(fixture.password, null, await costs.all())).toBe(false);
    expect(await hasher.verifyWithEqualWork(fixture.password, fixture.hash, await costs.all())).toBe(true);
    expect(await hasher.verifyWithEqualWork('wrong', fixture.hash, await costs.all())).toBe(false);
  });
});
