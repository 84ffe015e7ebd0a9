/** Account deletion's store methods: removing the user, pseudonymising what they did. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ContractContext, seedLock, seedUser } from './contract-context.js';

export function describeAccountErasureContract(ctx: ContractContext): void {
  describe('account erasure', () => {
    it('removes a user and their sessions; an unknown id is false', async () => {
      const user = await seedUser(ctx.store, 'gone');
      const session = await ctx.store.sessions.create({ familyId: randomUUID(), userId: user.id, tokenHash: randomUUID(), expiresAt: new Date(Date.now() + 60_000) });
      expect(await ctx.store.users.remove(user.id)).toBe(true);
      expect(await ctx.store.users.findByUsername('gone')).toBeNull();
      expect(await ctx.store.sessions.findByTokenHash(session.tokenHash)).toBeNull();
      expect(await ctx.store.users.remove(user.id)).toBe(false);
    });

    it('lists entries by or naming a user, in id order from a cursor, and rewrites them', async () => {
      const append = (actor: string | null, detail: string | null) => ctx.store.audit.append({ actor, action: 'user.setRole', deviceId: null, result: 'ok', detail });
      const byHer = await append('alice', '10.0.0.1');
      await append('bob', 'nothing about her');
      const namingHer = await append('root', 'alice: USER → ADMIN');
      await append(null, null);
      const first = await ctx.store.audit.listMentioning('alice', null, 1);
      expect(first.map((e) => e.id)).toEqual([byHer.id]);
      const rest = await ctx.store.audit.listMentioning('alice', first[0]!.id, 10);
      expect(rest.map((e) => e.id)).toEqual([namingHer.id]);
      await ctx.store.audit.rewrite(byHer.id, 'deleted-1', null);
      await ctx.store.audit.rewrite(namingHer.id, 'root', 'deleted-1: USER → ADMIN');
      expect(await ctx.store.audit.listMentioning('alice', null, 10)).toEqual([]);
      const all = (await ctx.store.audit.query({}, { first: 10 })).items.map((e) => [e.actor, e.detail]);
      expect(all).toContainEqual(['deleted-1', null]);
      expect(all).toContainEqual(['root', 'deleted-1: USER → ADMIN']);
    });

    it('attributes a user\'s commands to a pseudonym', async () => {
      await seedUser(ctx.store, 'owner');
      await seedLock(ctx.store, 'd1', 'owner');
      const mine = await ctx.store.commands.create({ id: randomUUID(), deviceId: 'd1', action: 'UNLOCK', counter: 1, requestedBy: 'alice' });
      const theirs = await ctx.store.commands.create({ id: randomUUID(), deviceId: 'd1', action: 'LOCK', counter: 2, requestedBy: 'owner' });
      expect(await ctx.store.commands.pseudonymiseRequester('alice', 'deleted-1')).toBe(1);
      expect((await ctx.store.commands.findById(mine.id))?.requestedBy).toBe('deleted-1');
      expect((await ctx.store.commands.findById(theirs.id))?.requestedBy).toBe('owner');
    });
  });
}
