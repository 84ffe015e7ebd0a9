import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentPlace, guardLeaving, navigate, subscribePlace } from './navigation';

const cleanups: (() => void)[] = [];
let changes = 0;

beforeEach(() => {
  window.history.replaceState(null, '', '/add');
  changes = 0;
  cleanups.push(subscribePlace(() => (changes += 1)));
});
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function popTo(path: string): void {
  window.history.replaceState(null, '', path); // where Back would have taken the browser
  window.dispatchEvent(new PopStateEvent('popstate'));
}

describe('navigation', () => {
  it('moves at once without a guard', () => {
    navigate('/');
    expect(currentPlace().pathname).toBe('/');
    expect(changes).toBe(1);
  });

  it('asks a guard first, stays if it does not call leave, and goes when it does', () => {
    let leave: (() => void) | undefined;
    cleanups.push(guardLeaving((go) => (leave = go)));
    navigate('/');
    expect(currentPlace().pathname).toBe('/add');
    expect(changes).toBe(0);
    leave?.();
    expect(currentPlace().pathname).toBe('/');
    expect(changes).toBe(1);
  });

  it('puts the guarded address back after Back, and follows Back once the user agrees', () => {
    let leave: (() => void) | undefined;
    cleanups.push(guardLeaving((go) => (leave = go)));
    popTo('/');
    expect(currentPlace().pathname).toBe('/add');
    expect(changes).toBe(0);
    leave?.();
    expect(currentPlace().pathname).toBe('/');
    expect(changes).toBe(1);
  });

  it('stops asking once released', () => {
    let asked = 0;
    const release = guardLeaving(() => (asked += 1));
    release();
    navigate('/');
    popTo('/add');
    expect(asked).toBe(0);
    expect(changes).toBe(2);
  });
});
