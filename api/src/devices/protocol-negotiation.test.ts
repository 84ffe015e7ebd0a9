import { describe, expect, it } from 'vitest';
import { chooseVersion } from './protocol-negotiation.js';

describe('chooseVersion', () => {
  it('picks the highest version both speak', () => {
    expect(chooseVersion('1,2')).toBe(2);
    expect(chooseVersion('1,2,3')).toBe(3);
    expect(chooseVersion('1,2,3,4')).toBe(3);
    expect(chooseVersion('2')).toBe(2);
    expect(chooseVersion('1')).toBe(1);
    expect(chooseVersion('1,3')).toBe(3);
    expect(chooseVersion('1,4')).toBe(1);
    expect(chooseVersion('1,2', [1])).toBe(1);
    expect(chooseVersion('1,2,3', [1, 2])).toBe(2);
  });

  it('finds none in a list it shares nothing with or cannot read', () => {
    expect(chooseVersion('4,5')).toBeNull();
    expect(chooseVersion('2,1')).toBeNull();
    expect(chooseVersion('')).toBeNull();
    expect(chooseVersion('1,,2')).toBeNull();
  });
});
