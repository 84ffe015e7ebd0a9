import { describe, expect, it } from 'vitest';
import { matchRoute, safeNext } from './routes';

describe('the invitation route', () => {
  it('opens /invite (the token rides in the #fragment) and may be the page to return to after sign-in', () => {
    expect(matchRoute('/invite')).toEqual({ name: 'invite' });
    expect(matchRoute('/invite/')).toEqual({ name: 'invite' });
    expect(safeNext('/invite')).toBe('/invite');
  });
});
