import { describe, expect, it } from 'vitest';
import type { LockAlert } from '../records.js';
import { at, type ContractContext, seedLock, seedUser } from './contract-context.js';

export function describeLockAlertsContract(ctx: ContractContext): void {
  async function seedLocks(...deviceIds: string[]) {
    await seedUser(ctx.store, 'alice');
    for (const deviceId of deviceIds) await seedLock(ctx.store, deviceId, 'alice');
  }
  const ajar: LockAlert = { kind: 'DOOR_AJAR', since: at(0) };
  const unlocked: LockAlert = { kind: 'LEFT_UNLOCKED', since: at(5) };

  describe('lock alerts', () => {
    it('starts a new lock with no alerts, door ajar at 10 minutes and left unlocked off', async () => {
      await seedLocks('d1');
      expect(await ctx.store.locks.findByDeviceId('d1')).toMatchObject({
        alerts: [],
        alertDoorAjarMinutes: 10,
        alertUnlockedMinutes: null,
        doorOpenSince: null,
        unlockedSince: null,
      });
    });

    it('stores thresholds and since-times through a patch, null included', async () => {
      await seedLocks('d1');
      await ctx.store.locks.update('d1', { alertDoorAjarMinutes: null, alertUnlockedMinutes: 30, doorOpenSince: at(1), unlockedSince: at(2) });
      expect(await ctx.store.locks.findByDeviceId('d1')).toMatchObject({ alertDoorAjarMinutes: null, alertUnlockedMinutes: 30, doorOpenSince: at(1), unlockedSince: at(2) });
    });

    it('replaces alerts only from the list it expects: of two writers from one list, one wins', async () => {
      await seedLocks('d1');
      const first = await ctx.store.locks.replaceAlerts('d1', [], [ajar]);
      expect(first?.alerts).toEqual([ajar]);
      expect(await ctx.store.locks.replaceAlerts('d1', [], [unlocked])).toBeNull();
      expect(await ctx.store.locks.replaceAlerts('d1', [{ ...ajar, since: at(1) }], [])).toBeNull(); // another time is another list
      expect((await ctx.store.locks.replaceAlerts('d1', [ajar], [ajar, unlocked]))?.alerts).toEqual([ajar, unlocked]);
      expect((await ctx.store.locks.findByDeviceId('d1'))?.alerts).toEqual([ajar, unlocked]);
      expect(await ctx.store.locks.replaceAlerts('ghost', [], [ajar])).toBeNull();
    });

    it('finds the locks whose door is OPEN, whose bolt is UNLOCKED or with alerts in force, by device id, in pages', async () => {
      await seedLocks('a-quiet', 'b-open', 'c-unlocked', 'd-alerted');
      await ctx.store.locks.update('b-open', { door: 'OPEN', doorOpenSince: at(0) });
      await ctx.store.locks.update('c-unlocked', { status: 'UNLOCKED', unlockedSince: at(0) });
      await ctx.store.locks.update('a-quiet', { door: 'CLOSED', status: 'LOCKED' });
      await ctx.store.locks.replaceAlerts('d-alerted', [], [ajar]);
      const ids = async (after: string, limit: number) => (await ctx.store.locks.findAlertCandidates(after, limit)).map((lock) => lock.deviceId);
      expect(await ids('', 10)).toEqual(['b-open', 'c-unlocked', 'd-alerted']);
      expect(await ids('', 2)).toEqual(['b-open', 'c-unlocked']);
      expect(await ids('c-unlocked', 2)).toEqual(['d-alerted']);
      await ctx.store.locks.replaceAlerts('d-alerted', [ajar], []);
      expect(await ids('', 10)).toEqual(['b-open', 'c-unlocked']);
    });
  });
}
