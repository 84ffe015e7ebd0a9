/** Lock claims (docs/protocol.md §15): one claim per factory id, gone when the lock is removed. */
import { describe, expect, it } from 'vitest';
import { DuplicateKeyError } from '../errors.js';
import { type ContractContext, seedLock, seedUser } from './contract-context.js';

export function describeClaimsContract(ctx: ContractContext): void {
  describe('claims', () => {
    it('stores a claim, finds it by factory id and device id, and refuses a second claim of the factory id', async () => {
      const user = await seedUser(ctx.store);
      await seedLock(ctx.store, 'lk-a', user.username);
      await seedLock(ctx.store, 'lk-b', user.username);
      const claim = await ctx.store.claims.create({
        factoryId: '0123456789abcdef',
        deviceId: 'lk-a',
        verifier: 'v',
        claimedBy: user.username,
      });
      expect(claim).toMatchObject({
        factoryId: '0123456789abcdef',
        deviceId: 'lk-a',
        verifier: 'v',
        claimedBy: user.username,
        completedAt: null,
      });
      expect(await ctx.store.claims.findByFactoryId('0123456789abcdef')).toEqual(claim);
      expect(await ctx.store.claims.findByDeviceId('lk-a')).toEqual(claim);
      await expect(
        ctx.store.claims.create({
          factoryId: '0123456789abcdef',
          deviceId: 'lk-b',
          verifier: 'w',
          claimedBy: user.username,
        }),
      ).rejects.toBeInstanceOf(DuplicateKeyError);
    });

    it('marks a claim completed once, for one caller only', async () => {
      const user = await seedUser(ctx.store);
      await seedLock(ctx.store, 'lk-c', user.username);
      await ctx.store.claims.create({
        factoryId: 'fedcba9876543210',
        deviceId: 'lk-c',
        verifier: 'v',
        claimedBy: user.username,
      });
      const at = new Date(Date.UTC(2026, 0, 1));
      const results = await Promise.all([
        ctx.store.claims.markCompleted('fedcba9876543210', at),
        ctx.store.claims.markCompleted('fedcba9876543210', at),
      ]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect((await ctx.store.claims.findByFactoryId('fedcba9876543210'))?.completedAt).toEqual(at);
    });

    it('releases the factory id when the lock is removed', async () => {
      const user = await seedUser(ctx.store);
      await seedLock(ctx.store, 'lk-d', user.username);
      await ctx.store.claims.create({
        factoryId: '1111111111111111',
        deviceId: 'lk-d',
        verifier: 'v',
        claimedBy: user.username,
      });
      await ctx.store.locks.remove('lk-d');
      expect(await ctx.store.claims.findByFactoryId('1111111111111111')).toBeNull();
      await seedLock(ctx.store, 'lk-e', user.username);
      await expect(
        ctx.store.claims.create({
          factoryId: '1111111111111111',
          deviceId: 'lk-e',
          verifier: 'v',
          claimedBy: user.username,
        }),
      ).resolves.toMatchObject({ deviceId: 'lk-e' });
    });
  });
}
