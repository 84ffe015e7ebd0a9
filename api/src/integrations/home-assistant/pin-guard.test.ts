import { describe, expect, it } from 'vitest';
import { PinGuard } from './pin-guard.js';

describe('PinGuard', () => {
  it('accepts the PIN and forgives a few wrong ones', () => {
    const guard = new PinGuard('4321', { maxFailures: 3 });
    expect(guard.check('0000')).toBe('wrong');
    expect(guard.check(undefined)).toBe('wrong');
    expect(guard.check('4321')).toBe('ok');
    // The right PIN starts the count again.
    expect(guard.check('0000')).toBe('wrong');
    expect(guard.check('0000')).toBe('wrong');
    expect(guard.check('4321')).toBe('ok');
  });

  it('refuses everything, the right PIN too, for the lock-out after too many wrong ones', () => {
    let now = 1_000_000;
    const guard = new PinGuard('4321', { maxFailures: 3, lockoutMs: 60_000, now: () => now });
    for (const code of ['1', '2', '3']) expect(guard.check(code)).toBe('wrong');
    expect(guard.check('4321')).toBe('throttled');
    expect(guard.retryAfterSeconds()).toBe(60);
    now += 59_999;
    expect(guard.check('4321')).toBe('throttled');
    now += 1;
    expect(guard.check('4321')).toBe('ok');
    expect(guard.refused).toBe(5);
  });

  it('does not take a PIN that merely starts with the right one', () => {
    const guard = new PinGuard('4321');
    expect(guard.check('43210')).toBe('wrong');
    expect(guard.check('432')).toBe('wrong');
  });
});
