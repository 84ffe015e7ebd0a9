import { describe, expect, it } from 'vitest';
import { PasswordHasher } from './password.js';

describe('password hashing', () => {
  const hasher = new PasswordHasher(12);

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hasher.hash('correct horse battery');
    expect(hash).toMatch(/^scrypt\$12\$/);
    expect(await hasher.verify('correct horse battery', hash)).toBe(true);
    expect(await hasher.verify('correct horse batterY', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hasher.hash('same password')).not.toBe(await hasher.hash('same password'));
  });

  it('verifies hashes made with another cost, and never matches a malformed hash', async () => {
    const older = await new PasswordHasher(13).hash('correct horse battery');
    expect(await hasher.verify('correct horse battery', older)).toBe(true);
    expect(await hasher.verify('x', 'plain-text')).toBe(false);
    expect(await hasher.verify('x', 'scrypt$40$AAAA$BBBB')).toBe(false);
  });
});
