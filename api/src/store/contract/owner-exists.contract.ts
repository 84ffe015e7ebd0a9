/** A lock's owner is a user who exists: SQLite holds it by a foreign key, MongoDB by a look-up. */
import { describe, expect, it } from 'vitest';
import { MissingOwnerError } from '../errors.js';
import { type ContractContext, seedLock, seedUser } from './contract-context.js';

export function describeOwnerExistsContract(ctx: ContractContext): void {
  describe('lock owners exist', () => {
    it('refuses a lock for an owner who has no account, storing nothing', async () => {
      const create = ctx.store.locks.create({ deviceId: 'd1', name: 'Front', owner: 'nobody', secretSealed: 's' });
      await expect(create).rejects.toBeInstanceOf(MissingOwnerError);
      await expect(create).rejects.toMatchObject({ owner: 'nobody' });
      expect(await ctx.store.locks.findByDeviceId('d1')).toBeNull();
    });

    it('refuses to hand a lock to an owner who has no account, changing nothing', async () => {
      const alice = await seedUser(ctx.store, 'alice');
      const bob = await seedUser(ctx.store, 'bob');
      await seedLock(ctx.store, 'd1', alice.username);
      await expect(ctx.store.locks.update('d1', { owner: 'nobody', name: 'Renamed' })).rejects.toBeInstanceOf(MissingOwnerError);
      expect(await ctx.store.locks.findByDeviceId('d1')).toMatchObject({ owner: 'alice', name: 'Lock d1' });
      expect(await ctx.store.locks.update('d1', { owner: bob.username })).toMatchObject({ owner: 'bob' });
    });
  });
}
