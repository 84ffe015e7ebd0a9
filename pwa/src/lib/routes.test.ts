import { describe, expect, it } from 'vitest';
import { lockPath, matchRoute, safeNext, signInPath } from './routes';

describe('routes', () => {
  it('matches every page', () => {
    expect(matchRoute('/')).toEqual({ name: 'locks' });
    expect(matchRoute('/add')).toEqual({ name: 'add' });
    expect(matchRoute('/admin/')).toEqual({ name: 'admin' });
    expect(matchRoute('/admin/firmware')).toEqual({ name: 'firmware' });
    expect(matchRoute('/account')).toEqual({ name: 'account' });
    expect(matchRoute('/signin')).toEqual({ name: 'signin' });
    expect(matchRoute('/recover')).toEqual({ name: 'recover' });
    expect(matchRoute('/verify-email')).toEqual({ name: 'verify-email' });
    expect(matchRoute(lockPath('front door'))).toEqual({ name: 'lock', deviceId: 'front door' });
    expect(matchRoute('/nope')).toEqual({ name: 'not-found' });
  });

  it('only redirects to paths of this app after sign-in', () => {
    expect(safeNext('/locks/front-door')).toBe('/locks/front-door');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/signin')).toBe('/');
    expect(safeNext('/recover')).toBe('/');
    expect(safeNext(null)).toBe('/');
    expect(signInPath('/admin')).toBe('/signin?next=%2Fadmin');
    expect(signInPath('/')).toBe('/signin');
  });
});
