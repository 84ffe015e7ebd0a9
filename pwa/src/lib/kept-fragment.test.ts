import { beforeEach, describe, expect, it } from 'vitest';
import { keepFragment, withKeptFragment } from './kept-fragment';

const CODE = '#SL1-0123456789ABCDEF-ABCD-EFGH-JKMN-PQRS-XY';

beforeEach(() => window.sessionStorage.clear());

describe('kept fragment', () => {
  it('gives the fragment back once, to the page that asked for sign-in', () => {
    keepFragment('/claim', CODE);
    expect(withKeptFragment('/claim')).toBe(`/claim${CODE}`);
    expect(withKeptFragment('/claim')).toBe('/claim');
  });

  it('gives nothing to another page, and forgets it there', () => {
    keepFragment('/claim', CODE);
    expect(withKeptFragment('/')).toBe('/');
    expect(withKeptFragment('/claim')).toBe('/claim');
  });

  it('a later page without a fragment forgets an earlier one', () => {
    keepFragment('/claim', CODE);
    keepFragment('/claim', '');
    expect(withKeptFragment('/claim')).toBe('/claim');
  });

  it('ignores what it did not write', () => {
    window.sessionStorage.setItem('smartlock:kept-fragment', '{not json');
    expect(withKeptFragment('/claim')).toBe('/claim');
    window.sessionStorage.setItem('smartlock:kept-fragment', JSON.stringify({ path: '/claim', hash: '//evil.example' }));
    expect(withKeptFragment('/claim')).toBe('/claim');
  });
});
