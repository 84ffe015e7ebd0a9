import { describe, expect, it } from 'vitest';
import { OncePerKey } from './once-per-key.js';

describe('OncePerKey', () => {
  it('lets a key through once per interval, each key on its own', () => {
    let now = 0;
    const once = new OncePerKey(1000, () => now);
    expect([once.take('a'), once.take('a'), once.take('b')]).toEqual([true, false, true]);
    now = 999;
    expect(once.take('a')).toBe(false);
    now = 1000;
    expect(once.take('a')).toBe(true);
  });

  it('forgets every key past its bound rather than growing', () => {
    const once = new OncePerKey(60_000, () => 0, 2);
    expect([once.take('a'), once.take('b'), once.take('a')]).toEqual([true, true, false]);
    expect(once.take('c')).toBe(true); // the third key: the two before are forgotten
    expect(once.take('a')).toBe(true);
  });
});
