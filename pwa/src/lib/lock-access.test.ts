import { describe, expect, it } from 'vitest';
import { aLock } from '../test-support/lock-fixture';
import { abilitiesOn, lockTimeZone } from './lock-access';
import { ownLocks } from './own-locks';

const share = { id: 's1', deviceId: 'front', guest: 'bob', role: 'GUEST' as const, startsAt: null, endsAt: null, weekly: [], createdBy: 'alice', allowedNow: true, nextAllowedAt: null, allowedUntil: null };

describe('a lock shared with the viewer', () => {
  it('is on "My locks" beside their own; another user\'s lock seen as an admin is not', () => {
    const locks = [
      aLock({ deviceId: 'bob-own', owner: { username: 'bob' } }),
      aLock({ deviceId: 'alice-guest', myRole: 'GUEST', myShare: share }),
      aLock({ deviceId: 'alice-co', myRole: 'CO_OWNER', myShare: { ...share, role: 'CO_OWNER' } }),
      aLock({ deviceId: 'carol-admin', owner: { username: 'carol' }, myRole: 'ADMIN' }),
    ];
    expect(ownLocks(locks, 'bob').map((lock) => lock.deviceId)).toEqual(['bob-own', 'alice-guest', 'alice-co']);
  });

  it('offers a guest only commands and leaving, a co-owner the settings too, the owner everything', () => {
    expect(abilitiesOn(aLock({ myRole: 'GUEST' }), 'bob')).toEqual({ role: 'GUEST', manage: false, configure: false, shared: true });
    expect(abilitiesOn(aLock({ myRole: 'CO_OWNER' }), 'bob')).toEqual({ role: 'CO_OWNER', manage: false, configure: true, shared: true });
    expect(abilitiesOn(aLock({ myRole: 'OWNER' }), 'alice')).toEqual({ role: 'OWNER', manage: true, configure: true, shared: false });
    expect(abilitiesOn(aLock({ myRole: 'ADMIN' }), 'root')).toEqual({ role: 'ADMIN', manage: true, configure: true, shared: false });
  });

  it('reads a lock cached by an older app (no role, no zone) as the owner\'s or an admin\'s, in UTC', () => {
    const { myRole: _role, timeZone: _zone, ...old } = aLock();
    expect(abilitiesOn(old, 'alice').role).toBe('OWNER');
    expect(abilitiesOn(old, 'root').role).toBe('ADMIN');
    expect(lockTimeZone(old)).toBe('UTC');
  });
});
