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

    it('finds the locks due at a time (past a threshold, locked with the door open, or alerted), by device id, in pages', async () => {
      await seedLocks('a-quiet', 'b-open', 'c-unlocked', 'd-alerted', 'e-locked-open', 'f-unlocked-off');
      await ctx.store.locks.update('a-quiet', { door: 'CLOSED', status: 'LOCKED' });
      await ctx.store.locks.update('b-open', { door: 'OPEN', status: 'UNLOCKED', doorOpenSince: at(0) }); // door ajar at 10 min
      await ctx.store.locks.update('c-unlocked', { status: 'UNLOCKED', unlockedSince: at(0), alertUnlockedMinutes: 30 });
      await ctx.store.locks.replaceAlerts('d-alerted', [], [ajar]);
      await ctx.store.locks.update('e-locked-open', { door: 'OPEN', status: 'LOCKED', doorOpenSince: at(0), alertDoorAjarMinutes: null });
      await ctx.store.locks.update('f-unlocked-off', { status: 'UNLOCKED', unlockedSince: at(0) });
      const ids = async (now: Date, after: string, limit: number) => (await ctx.store.locks.findAlertCandidates(now, after, limit)).map((lock) => lock.deviceId);
      const MINUTE = 60_000;
      expect(await ids(at(10 * MINUTE - 1), '', 10)).toEqual(['d-alerted', 'e-locked-open']);
      expect(await ids(at(10 * MINUTE), '', 10)).toEqual(['b-open', 'd-alerted', 'e-locked-open']);
      expect(await ids(at(30 * MINUTE), '', 10)).toEqual(['b-open', 'c-unlocked', 'd-alerted', 'e-locked-open']);
      expect(await ids(at(30 * MINUTE), '', 2)).toEqual(['b-open', 'c-unlocked']);
      expect(await ids(at(30 * MINUTE), 'c-unlocked', 2)).toEqual(['d-alerted', 'e-locked-open']);
      await ctx.store.locks.replaceAlerts('d-alerted', [ajar], []);
      expect(await ids(at(30 * MINUTE), '', 10)).toEqual(['b-open', 'c-unlocked', 'e-locked-open']);
    });
  });
}
