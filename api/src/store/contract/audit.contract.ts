import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../cursor.js';
import type { AuditFilter, AuditRecord, NewAudit } from '../records.js';
import { at, type ContractContext, seedLock, seedUser, setClock } from './contract-context.js';

const entry = (overrides: Partial<NewAudit>): NewAudit => ({
  actor: 'alice',
  action: 'UNLOCK',
  deviceId: 'd1',
  result: 'OK',
  detail: null,
  ...overrides,
});

export function describeAuditContract(ctx: ContractContext): void {
  /** Reads every page of a query, `first` at a time. */
  async function readAll(filter: AuditFilter, first = 100): Promise<AuditRecord[]> {
    const all: AuditRecord[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await ctx.store.audit.query(filter, { first, after });
      all.push(...page.items);
      if (!page.hasNextPage) return all;
      after = page.endCursor ?? undefined;
    }
  }
  const details = (entries: AuditRecord[]) => entries.map((item) => item.detail);

  describe('audit', () => {
    it('appends an entry with a new id, stamped now unless a time is given', async () => {
      setClock(at(0));
      const stamped = await ctx.store.audit.append(entry({ detail: 'first' }));
      expect(stamped.id).toEqual(expect.any(String));
      expect(stamped).toMatchObject({
        at: at(0),
        actor: 'alice',
        action: 'UNLOCK',
        deviceId: 'd1',
        result: 'OK',
        detail: 'first',
      });
      const dated = await ctx.store.audit.append(entry({ at: at(-5_000), actor: null, deviceId: null }));
      expect(dated).toMatchObject({ at: at(-5_000), actor: null, deviceId: null });
      expect(dated.id).not.toBe(stamped.id);
    });

    it('pages through entries newest first with no duplicates or gaps', async () => {
      for (let i = 0; i < 11; i++) await ctx.store.audit.append(entry({ detail: `e${i}` }));
      const first = await ctx.store.audit.query({}, { first: 4 });
      expect(details(first.items)).toEqual(['e10', 'e9', 'e8', 'e7']);
      expect(first.hasNextPage).toBe(true);
      const all = await readAll({}, 4);
      expect(details(all)).toEqual(Array.from({ length: 11 }, (_, i) => `e${10 - i}`));
      const second = await ctx.store.audit.query({}, { first: 4, after: first.endCursor ?? undefined });
      expect(details(second.items)).toEqual(['e6', 'e5', 'e4', 'e3']);
    });

    it('ends with hasNextPage false and a null cursor when nothing matches', async () => {
      expect(await ctx.store.audit.query({ actor: 'nobody' }, { first: 3 })).toEqual({
        items: [],
        hasNextPage: false,
        endCursor: null,
      });
    });

    it('filters by device, actor and action, each alone and together', async () => {
      await ctx.store.audit.append(entry({ detail: 'a-d1-unlock' }));
      await ctx.store.audit.append(entry({ detail: 'a-d2-lock', deviceId: 'd2', action: 'LOCK' }));
      await ctx.store.audit.append(entry({ detail: 'b-d1-lock', actor: 'bob', action: 'LOCK' }));
      await ctx.store.audit.append(entry({ detail: 'system-d1', actor: null, action: 'OFFLINE' }));
      expect(details(await readAll({ deviceId: 'd1' }))).toEqual(['system-d1', 'b-d1-lock', 'a-d1-unlock']);
      expect(details(await readAll({ actor: 'alice' }))).toEqual(['a-d2-lock', 'a-d1-unlock']);
      expect(details(await readAll({ action: 'LOCK' }))).toEqual(['b-d1-lock', 'a-d2-lock']);
      expect(details(await readAll({ deviceId: 'd1', action: 'LOCK' }))).toEqual(['b-d1-lock']);
    });

    it("filters by device as people name it: a lock's name or a device id, without regard to case", async () => {
      const owner = await seedUser(ctx.store);
      await seedLock(ctx.store, 'Front-1', owner.username);
      await ctx.store.locks.update('Front-1', { name: 'Haustür' });
      await seedLock(ctx.store, 'garage', owner.username);
      await ctx.store.audit.append(entry({ deviceId: 'Front-1', detail: 'front' }));
      await ctx.store.audit.append(entry({ deviceId: 'garage', detail: 'garage' }));
      await ctx.store.audit.append(entry({ deviceId: 'GONE-9', detail: 'removed lock' }));
      await ctx.store.audit.append(entry({ deviceId: null, detail: 'no device' }));
      expect(details(await readAll({ device: 'front-1' }))).toEqual(['front']);
      expect(details(await readAll({ device: 'HAUSTÜR' }))).toEqual(['front']);
      expect(details(await readAll({ device: 'Garage' }))).toEqual(['garage']);
      // A lock that is gone still has its entries, found by its id.
      expect(details(await readAll({ device: 'gone-9' }))).toEqual(['removed lock']);
      expect(details(await readAll({ device: 'Haus' }))).toEqual([]);
      expect(details(await readAll({ device: 'front-1', actor: 'bob' }))).toEqual([]);
      // Characters that mean something to a pattern are only characters.
      expect(details(await readAll({ device: '.*' }))).toEqual([]);
    });

    it('filters by time with both bounds included', async () => {
      for (let i = 0; i < 5; i++) await ctx.store.audit.append(entry({ at: at(i * 1_000), detail: `t${i}` }));
      expect(details(await readAll({ from: at(1_000), to: at(3_000) }))).toEqual(['t3', 't2', 't1']);
      expect(details(await readAll({ from: at(3_500) }))).toEqual(['t4']);
      expect(details(await readAll({ to: at(500) }))).toEqual(['t0']);
    });

    it('limits a scoped viewer to entries about their devices or by themselves', async () => {
      await ctx.store.audit.append(entry({ detail: 'bob on d1', actor: 'bob', deviceId: 'd1' }));
      await ctx.store.audit.append(entry({ detail: 'bob on d9', actor: 'bob', deviceId: 'd9' }));
      await ctx.store.audit.append(entry({ detail: 'alice on d2', actor: 'alice', deviceId: 'd2' }));
      await ctx.store.audit.append(entry({ detail: 'system on d2', actor: null, deviceId: 'd2' }));
      await ctx.store.audit.append(entry({ detail: 'carol login', actor: 'carol', deviceId: null }));
      const devices = (...ids: string[]) => ids.map((deviceId) => ({ deviceId, since: at(-60_000) }));
      const scope = { devices: devices('d1', 'd2'), actor: 'carol' };
      expect(details(await readAll({ scope }))).toEqual(['carol login', 'system on d2', 'alice on d2', 'bob on d1']);
      expect(details(await readAll({ scope, actor: 'bob' }))).toEqual(['bob on d1']);
      expect(details(await readAll({ scope: { devices: [], actor: 'bob' } }))).toEqual(['bob on d9', 'bob on d1']);
    });

    it("limits a scoped viewer's device to entries since its registration, keeping their own actions", async () => {
      // d1 was registered by alice, who renamed and removed it; carol registered it again at 0.
      await ctx.store.audit.append(entry({ at: at(-3_000), actor: 'alice', action: 'lock.rename', detail: "alice's safe" }));
      await ctx.store.audit.append(entry({ at: at(-2_000), actor: null, action: 'lock.status', detail: 'alice era status' }));
      await ctx.store.audit.append(entry({ at: at(-1), actor: 'carol', action: 'user.signIn', deviceId: null, detail: 'carol before' }));
      await ctx.store.audit.append(entry({ at: at(0), actor: 'carol', action: 'lock.register', detail: 'carol registers' }));
      await ctx.store.audit.append(entry({ at: at(1_000), actor: null, action: 'lock.status', detail: 'carol era status' }));
      await ctx.store.audit.append(entry({ at: at(2_000), actor: null, action: 'lock.status', deviceId: 'd2', detail: 'd2 old' }));
      const scope = { devices: [{ deviceId: 'd1', since: at(0) }, { deviceId: 'd2', since: at(5_000) }], actor: 'carol' };
      expect(details(await readAll({ scope }))).toEqual(['carol era status', 'carol registers', 'carol before']);
      expect(details(await readAll({ scope, deviceId: 'd1' }))).toEqual(['carol era status', 'carol registers']);
      // Alice's scope is her own actions only now: she still sees what she did.
      expect(details(await readAll({ scope: { devices: [], actor: 'alice' } }))).toEqual(["alice's safe"]);
      expect(details(await readAll({ deviceId: 'd1' }))).toHaveLength(4);
    });

    it('rejects a cursor it did not issue', async () => {
      await expect(ctx.store.audit.query({}, { first: 2, after: '%%%' })).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
}
