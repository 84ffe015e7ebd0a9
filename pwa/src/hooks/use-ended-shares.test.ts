import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LockAccessLostReason } from '../gql/graphql';
import type { Lock } from '../lib/locks-store';
import { aLock } from '../test-support/lock-fixture';
import { useEndedShares } from './use-ended-shares';

describe('useEndedShares', () => {
  it('names a lock that left live because its share was revoked, not one that left for another reason', () => {
    const shared = aLock({ deviceId: 'shared', name: 'Front door', myRole: 'GUEST' });
    const removed = aLock({ deviceId: 'gone', name: 'Cellar' });
    const { result, rerender } = renderHook((state: { locks: Lock[]; lost: Record<string, LockAccessLostReason> }) => useEndedShares(state), {
      initialProps: { locks: [shared, removed], lost: {} },
    });
    expect(result.current).toEqual([]);
    rerender({ locks: [], lost: { shared: 'SHARE_REVOKED', gone: 'REMOVED' } });
    expect(result.current).toEqual(['Front door']);
    // Shared again: it is back in the list and no longer lost.
    rerender({ locks: [shared], lost: {} });
    expect(result.current).toEqual([]);
  });
});
