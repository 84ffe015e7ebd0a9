/** The readiness probe write: it must commit without touching the app's data. */
import { describe, expect, it } from 'vitest';
import { type ContractContext, seedUser } from './contract-context.js';

export function describeProbeContract(ctx: ContractContext): void {
  describe('probe write', () => {
    it('commits again and again without changing any data', async () => {
      const user = await seedUser(ctx.store);
      await ctx.store.probeWrite();
      await ctx.store.probeWrite();
      expect(await ctx.store.users.list()).toEqual([user]);
      await ctx.store.ping();
    });
  });
}
