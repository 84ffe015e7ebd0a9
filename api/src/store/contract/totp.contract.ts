/** Authenticator-app enrolments: confirm once, a step or a recovery code is good once. */
import { describe, expect, it } from 'vitest';
import { at, type ContractContext, seedUser } from './contract-context.js';

export function describeTotpContract(ctx: ContractContext): void {
  describe('totp', () => {
    it('starts, restarts and confirms an enrolment, and never replaces a confirmed one', async () => {
      const user = await seedUser(ctx.store);
      expect(await ctx.store.totp.find(user.id)).toBeNull();
      expect(await ctx.store.totp.saveUnconfirmed(user.id, 'sealed-1')).toBe(true);
      expect(await ctx.store.totp.saveUnconfirmed(user.id, 'sealed-2')).toBe(true);
      expect(await ctx.store.totp.find(user.id)).toEqual({ userId: user.id, secretSealed: 'sealed-2', confirmedAt: null, lastStep: 0, recoveryHashes: [] });
      expect(await ctx.store.totp.confirm(user.id, ['h1', 'h2'], 100, at(0))).toBe(true);
      expect(await ctx.store.totp.confirm(user.id, ['x'], 200, at(1))).toBe(false);
      expect(await ctx.store.totp.saveUnconfirmed(user.id, 'sealed-3')).toBe(false);
      expect(await ctx.store.totp.find(user.id)).toEqual({ userId: user.id, secretSealed: 'sealed-2', confirmedAt: at(0), lastStep: 100, recoveryHashes: ['h1', 'h2'] });
    });

    it('accepts each step once, only above the last, and only once confirmed', async () => {
      const user = await seedUser(ctx.store);
      await ctx.store.totp.saveUnconfirmed(user.id, 'sealed');
      expect(await ctx.store.totp.useStep(user.id, 5)).toBe(false);
      await ctx.store.totp.confirm(user.id, [], 10, at(0));
      expect(await ctx.store.totp.useStep(user.id, 10)).toBe(false);
      const raced = await Promise.all([ctx.store.totp.useStep(user.id, 11), ctx.store.totp.useStep(user.id, 11)]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      expect(await ctx.store.totp.useStep(user.id, 9)).toBe(false);
      expect((await ctx.store.totp.find(user.id))?.lastStep).toBe(11);
    });

    it('lists sealed secrets and replaces one only while it is unchanged', async () => {
      const user = await seedUser(ctx.store);
      await ctx.store.totp.saveUnconfirmed(user.id, 'old');
      expect(await ctx.store.totp.listSealed()).toEqual([{ userId: user.id, secretSealed: 'old' }]);
      expect(await ctx.store.totp.replaceSealed(user.id, 'not it', 'new')).toBe(false);
      expect(await ctx.store.totp.replaceSealed(user.id, 'old', 'new')).toBe(true);
      expect((await ctx.store.totp.find(user.id))?.secretSealed).toBe('new');
    });

    it('uses a recovery code once, and removes the enrolment', async () => {
      const user = await seedUser(ctx.store);
      await ctx.store.totp.saveUnconfirmed(user.id, 'sealed');
      expect(await ctx.store.totp.useRecoveryCode(user.id, 'h1')).toBe(false); // not confirmed yet
      await ctx.store.totp.confirm(user.id, ['h1', 'h2'], 1, at(0));
      const raced = await Promise.all([ctx.store.totp.useRecoveryCode(user.id, 'h1'), ctx.store.totp.useRecoveryCode(user.id, 'h1')]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      expect(await ctx.store.totp.useRecoveryCode(user.id, 'nope')).toBe(false);
      expect((await ctx.store.totp.find(user.id))?.recoveryHashes).toEqual(['h2']);
      expect(await ctx.store.totp.remove(user.id)).toBe(true);
      expect(await ctx.store.totp.remove(user.id)).toBe(false);
      expect(await ctx.store.totp.find(user.id)).toBeNull();
    });
  });
}
