/**
 * Reads of many records by id at once (a GraphQL request loads every lock's settings and last
 * command in one call): the existing ones, each once, whatever the order or repeats of the ids.
 */
import { describe, expect, it } from 'vitest';
import { type ContractContext, seedLock, seedUser } from './contract-context.js';

const byKey = <T>(key: (item: T) => string) => (a: T, b: T) => key(a).localeCompare(key(b));

export function describeFindManyContract(ctx: ContractContext): void {
  describe('find many by id', () => {
    async function seeded(...deviceIds: string[]) {
      const user = await seedUser(ctx.store);
      for (const deviceId of deviceIds) await seedLock(ctx.store, deviceId, user.username);
      return user.username;
    }

    it('finds the locks that exist among the ids, each once, as findByDeviceId does', async () => {
      await seeded('d1', 'd2', 'd3');
      const found = await ctx.store.locks.findByDeviceIds(['d3', 'ghost', 'd1', 'd3']);
      expect(found.sort(byKey((l) => l.deviceId))).toEqual([await ctx.store.locks.findByDeviceId('d1'), await ctx.store.locks.findByDeviceId('d3')]);
      expect(await ctx.store.locks.findByDeviceIds([])).toEqual([]);
      expect(await ctx.store.locks.findByDeviceIds(['ghost'])).toEqual([]);
    });

    it('finds the commands that exist among the ids, each once, as findById does', async () => {
      await seeded('d1', 'd2');
      await ctx.store.commands.create({ id: 'c1', deviceId: 'd1', action: 'UNLOCK', counter: 1, requestedBy: 'alice' });
      await ctx.store.commands.create({ id: 'c2', deviceId: 'd2', action: 'LOCK', counter: 1, requestedBy: 'bob' });
      await ctx.store.commands.create({ id: 'c3', deviceId: 'd1', action: 'LOCK', counter: 2, requestedBy: 'alice' });
      const found = await ctx.store.commands.findByIds(['c3', 'nope', 'c2', 'c2']);
      expect(found.sort(byKey((c) => c.id))).toEqual([await ctx.store.commands.findById('c2'), await ctx.store.commands.findById('c3')]);
      expect(await ctx.store.commands.findByIds([])).toEqual([]);
    });

    it('finds the settings of the locks that have some among the ids, each once, as find does', async () => {
      const owner = await seeded('d1', 'd2', 'd3');
      await ctx.store.lockSettings.save('d1', { relock: 10, boot: 'STAY', lockOpen: 'REFUSE' }, owner);
      await ctx.store.lockSettings.save('d3', { relock: 0, boot: 'LOCK', lockOpen: 'ALLOW' }, owner);
      await ctx.store.lockSettings.save('d3', { relock: 5, boot: 'LOCK', lockOpen: 'ALLOW' }, owner);
      const found = await ctx.store.lockSettings.findMany(['d2', 'd3', 'ghost', 'd1', 'd1']);
      expect(found.sort(byKey((s) => s.deviceId))).toEqual([await ctx.store.lockSettings.find('d1'), await ctx.store.lockSettings.find('d3')]);
      expect(found.find((s) => s.deviceId === 'd3')).toMatchObject({ relock: 5, revision: 2 });
      expect(await ctx.store.lockSettings.findMany([])).toEqual([]);
    });
  });
}
