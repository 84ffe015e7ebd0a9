import { describe, expect, it } from 'vitest';
import { aLock } from '../test-support/lock-fixture';
import { ownLocks } from './own-locks';

describe('ownLocks', () => {
  it("keeps only the viewer's locks, in the store's order", () => {
    const locks = [
      aLock({ deviceId: 'root-front', owner: { username: 'root' } }),
      aLock({ deviceId: 'alice-front', owner: { username: 'alice' } }),
      aLock({ deviceId: 'root-cellar', owner: { username: 'root' } }),
    ];
    expect(ownLocks(locks, 'root').map((lock) => lock.deviceId)).toEqual(['root-front', 'root-cellar']);
    expect(ownLocks(locks, 'alice').map((lock) => lock.deviceId)).toEqual(['alice-front']);
    expect(ownLocks(locks, 'bob')).toEqual([]);
  });
});
