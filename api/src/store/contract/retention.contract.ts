/** Retention deletes for commands and audit entries (sessions: users-sessions.contract.ts). */
import { describe, expect, it } from 'vitest';
import type { CommandState } from '../records.js';
import { at, type ContractContext, setClock } from './contract-context.js';

export function describeRetentionContract(ctx: ContractContext): void {
  describe('retention', () => {
    /** Creates a command at `createdAt` and moves it to `state`. */
    async function seedCommand(id: string, createdAt: Date, state: CommandState) {
      setClock(createdAt);
      await ctx.store.commands.create({ id, deviceId: 'd1', action: 'UNLOCK', counter: 1, requestedBy: 'alice' });
      if (state !== 'SENT') await ctx.store.commands.complete(id, state, null, createdAt);
    }
    const exists = async (id: string) => (await ctx.store.commands.findById(id)) !== null;

    it('deletes finished commands created before the cutoff, never one still SENT', async () => {
      await seedCommand('old-ok', at(-3_000), 'SUCCEEDED');
      await seedCommand('old-rejected', at(-3_000), 'REJECTED');
      await seedCommand('old-failed', at(-2_000), 'FAILED');
      await seedCommand('old-timed-out', at(-2_000), 'TIMED_OUT');
      await seedCommand('old-superseded', at(-2_000), 'SUPERSEDED');
      await seedCommand('old-sent', at(-5_000), 'SENT');
      await seedCommand('young-ok', at(1_000), 'SUCCEEDED');
      expect(await ctx.store.commands.deleteFinishedBefore(at(0), 1000)).toBe(5);
      for (const id of ['old-ok', 'old-rejected', 'old-failed', 'old-timed-out', 'old-superseded']) expect(await exists(id)).toBe(false);
      expect(await exists('old-sent')).toBe(true);
      expect(await exists('young-ok')).toBe(true);
      expect(await ctx.store.commands.deleteFinishedBefore(at(0), 1000)).toBe(0);
    });

    it('deletes commands in batches of at most the given size', async () => {
      for (let i = 0; i < 5; i += 1) await seedCommand(`c${i}`, at(-1_000 - i), 'SUCCEEDED');
      expect(await ctx.store.commands.deleteFinishedBefore(at(0), 2)).toBe(2);
      expect(await ctx.store.commands.deleteFinishedBefore(at(0), 2)).toBe(2);
      expect(await ctx.store.commands.deleteFinishedBefore(at(0), 2)).toBe(1);
      expect(await ctx.store.commands.deleteFinishedBefore(at(0), 0)).toBe(0);
    });

    it('deletes audit entries from before the cutoff, oldest first, in batches', async () => {
      for (let i = 1; i <= 5; i += 1) await ctx.store.audit.append({ actor: 'alice', action: 'UNLOCK', deviceId: 'd1', result: 'OK', detail: `old-${i}`, at: at(-i * 1_000) });
      await ctx.store.audit.append({ actor: 'alice', action: 'UNLOCK', deviceId: 'd1', result: 'OK', detail: 'young', at: at(1_000) });
      const details = async () => (await ctx.store.audit.query({}, { first: 100 })).items.map((entry) => entry.detail).sort();
      expect(await ctx.store.audit.deleteBefore(at(0), 2)).toBe(2);
      // Oldest first: old-5 and old-4 went.
      expect(await details()).toEqual(['old-1', 'old-2', 'old-3', 'young']);
      expect(await ctx.store.audit.deleteBefore(at(0), 0)).toBe(0);
      expect(await ctx.store.audit.deleteBefore(at(0), 1000)).toBe(3);
      expect(await details()).toEqual(['young']);
    });
  });
}
