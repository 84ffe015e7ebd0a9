/** The wanted lock settings (docs/protocol.md §11.7): revisions, the last cfg sent, and only its ack counting. */
import { describe, expect, it } from 'vitest';
import type { LockSettingsValues } from '../records.js';
import { at, type ContractContext, seedLock, seedUser, setClock } from './contract-context.js';

const WANTED: LockSettingsValues = { relock: 30, boot: 'STAY', lockOpen: 'REFUSE' };

export function describeLockSettingsContract(ctx: ContractContext): void {
  describe('lock settings', () => {
    async function seeded(deviceId = 'd1') {
      const user = await seedUser(ctx.store);
      await seedLock(ctx.store, deviceId, user.username);
      return user.username;
    }

    it('has none for a new lock and saves the first as revision 1, not sent, not applied', async () => {
      setClock(at(0));
      const owner = await seeded();
      expect(await ctx.store.lockSettings.find('d1')).toBeNull();
      const saved = await ctx.store.lockSettings.save('d1', WANTED, owner);
      expect(saved).toEqual({
        deviceId: 'd1',
        ...WANTED,
        revision: 1,
        cfgId: null,
        applied: false,
        rejectedReason: null,
        updatedBy: owner,
        updatedAt: at(0),
        appliedAt: null,
      });
      expect(await ctx.store.lockSettings.find('d1')).toEqual(saved);
    });

    it('saves nothing for a lock that does not exist', async () => {
      expect(await ctx.store.lockSettings.save('ghost', WANTED, 'alice')).toBeNull();
      expect(await ctx.store.lockSettings.find('ghost')).toBeNull();
    });

    it('marks applied only on the ack of the last cfg sent for the current revision', async () => {
      const owner = await seeded();
      await ctx.store.lockSettings.save('d1', WANTED, owner);
      expect(await ctx.store.lockSettings.markSent('d1', 1, 'cfg-a')).toBe(true);
      expect(await ctx.store.lockSettings.markSent('d1', 1, 'cfg-b')).toBe(true); // re-sent after a welcome
      expect(await ctx.store.lockSettings.markAnswered('d1', 'cfg-a', { ok: true })).toBeNull();
      setClock(at(5_000));
      const applied = await ctx.store.lockSettings.markAnswered('d1', 'cfg-b', { ok: true });
      expect(applied).toMatchObject({ applied: true, cfgId: 'cfg-b', rejectedReason: null, appliedAt: at(5_000) });
      // A repeat of the answer (a replayed status) changes nothing.
      setClock(at(9_000));
      expect(await ctx.store.lockSettings.markAnswered('d1', 'cfg-b', { ok: true })).toBeNull();
      expect(await ctx.store.lockSettings.markAnswered('d1', 'cfg-b', { ok: false, reason: 'replay' })).toBeNull();
      expect(await ctx.store.lockSettings.find('d1')).toMatchObject({ applied: true, appliedAt: at(5_000) });
    });

    it('makes a change pending again, and a cfg sent for the older revision is not recorded', async () => {
      const owner = await seeded();
      await ctx.store.lockSettings.save('d1', WANTED, owner);
      await ctx.store.lockSettings.markSent('d1', 1, 'cfg-a');
      await ctx.store.lockSettings.markAnswered('d1', 'cfg-a', { ok: true });
      const changed = await ctx.store.lockSettings.save('d1', { relock: 0, boot: 'LOCK', lockOpen: 'ALLOW' }, owner);
      expect(changed).toMatchObject({ revision: 2, relock: 0, boot: 'LOCK', lockOpen: 'ALLOW', applied: false, cfgId: null, appliedAt: null });
      expect(await ctx.store.lockSettings.markSent('d1', 1, 'cfg-late')).toBe(false);
      expect(await ctx.store.lockSettings.markAnswered('d1', 'cfg-a', { ok: true })).toBeNull();
      expect(await ctx.store.lockSettings.find('d1')).toMatchObject({ revision: 2, cfgId: null, applied: false });
    });

    it('keeps a rejection pending with the lock\'s reason', async () => {
      const owner = await seeded();
      await ctx.store.lockSettings.save('d1', WANTED, owner);
      await ctx.store.lockSettings.markSent('d1', 1, 'cfg-a');
      expect(await ctx.store.lockSettings.markAnswered('d1', 'cfg-a', { ok: false, reason: 'replay' })).toMatchObject({
        applied: false,
        rejectedReason: 'replay',
      });
      await ctx.store.lockSettings.markSent('d1', 1, 'cfg-b');
      expect(await ctx.store.lockSettings.find('d1')).toMatchObject({ cfgId: 'cfg-b', rejectedReason: null });
    });

    it('forgets the settings when the lock is removed, so a lock registered again starts afresh', async () => {
      const owner = await seeded();
      await ctx.store.lockSettings.save('d1', WANTED, owner);
      await ctx.store.locks.remove('d1');
      expect(await ctx.store.lockSettings.find('d1')).toBeNull();
      await seedLock(ctx.store, 'd1', owner);
      expect(await ctx.store.lockSettings.find('d1')).toBeNull();
    });
  });
}
