/**
 * Edges a planted bug slipped through before: ties in the commands order (the id breaks them, or
 * pages repeat and skip), and retention cut-offs exactly at an entry's time (kept: "before" is strict).
 */
import { describe, expect, it } from 'vitest';
import { at, type ContractContext, seedUser, setClock } from './contract-context.js';

export function describeOrderingEdgesContract(ctx: ContractContext): void {
  describe('ordering and cut-off edges', () => {
    it('pages commands created in one millisecond by id, across page boundaries, with no repeats or gaps', async () => {
      setClock(at(0));
      // Inserted out of id order, so the storage's natural order is not the answer.
      const ids = ['c4', 'c1', 'c6', 'c0', 'c3', 'c5', 'c2'];
      for (const [i, id] of ids.entries()) await ctx.store.commands.create({ id, deviceId: 'd1', action: 'LOCK', counter: i + 1, requestedBy: 'alice' });
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await ctx.store.commands.listByDevice('d1', { first: 2, after });
        seen.push(...page.items.map((command) => command.id));
        if (!page.hasNextPage) break;
        after = page.endCursor ?? undefined;
      }
      expect(seen).toEqual(['c6', 'c5', 'c4', 'c3', 'c2', 'c1', 'c0']);
    });

    it('keeps a session that expires exactly at the cut-off', async () => {
      const user = await seedUser(ctx.store);
      const session = await ctx.store.sessions.create({ userId: user.id, familyId: 'f', tokenHash: 'exact', expiresAt: at(0) });
      expect(await ctx.store.sessions.deleteExpired(at(0), 10)).toBe(0);
      expect(await ctx.store.sessions.findByTokenHash(session.tokenHash)).not.toBeNull();
      expect(await ctx.store.sessions.deleteExpired(at(1), 10)).toBe(1);
    });

    it('keeps commands and audit entries dated exactly at the cut-off', async () => {
      setClock(at(0));
      await ctx.store.commands.create({ id: 'exact', deviceId: 'd1', action: 'LOCK', counter: 1, requestedBy: 'alice' });
      await ctx.store.commands.complete('exact', 'SUCCEEDED', null, at(0));
      await ctx.store.audit.append({ actor: 'alice', action: 'LOCK', deviceId: 'd1', result: 'OK', detail: 'exact', at: at(0) });
      expect(await ctx.store.commands.deleteFinishedBefore(at(0), 10)).toBe(0);
      expect(await ctx.store.audit.deleteBefore(at(0), 10)).toBe(0);
      expect(await ctx.store.commands.deleteFinishedBefore(at(1), 10)).toBe(1);
      expect(await ctx.store.audit.deleteBefore(at(1), 10)).toBe(1);
    });
  });
}
