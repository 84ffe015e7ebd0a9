import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../cursor.js';
import { DuplicateKeyError } from '../errors.js';
import type { CommandRecord, NewCommand } from '../records.js';
import { at, type ContractContext, seedLock, seedUser, setClock } from './contract-context.js';

const newCommand = (id: string, deviceId = 'd1', counter = 1): NewCommand => ({
  id,
  deviceId,
  action: 'UNLOCK',
  counter,
  requestedBy: 'alice',
});

export function describeCommandContract(ctx: ContractContext): void {
  describe('commands', () => {
    it('creates a SENT command stamped now and finds it by id', async () => {
      setClock(at(0));
      const command = await ctx.store.commands.create(newCommand('c1'));
      expect(command).toEqual({
        id: 'c1',
        deviceId: 'd1',
        action: 'UNLOCK',
        state: 'SENT',
        counter: 1,
        requestedBy: 'alice',
        createdAt: at(0),
        completedAt: null,
        reason: null,
      });
      expect(await ctx.store.commands.findById('c1')).toEqual(command);
      expect(await ctx.store.commands.findById('ghost')).toBeNull();
    });

    it('rejects a second command with the same id as a duplicate id', async () => {
      await ctx.store.commands.create(newCommand('c1'));
      const again = ctx.store.commands.create(newCommand('c1', 'd2'));
      await expect(again).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(again).rejects.toMatchObject({ field: 'id' });
    });

    it('completes a SENT command exactly once, even when two outcomes race', async () => {
      await ctx.store.commands.create(newCommand('c1'));
      const [first, second] = await Promise.all([
        ctx.store.commands.complete('c1', 'SUCCEEDED', null, at(5)),
        ctx.store.commands.complete('c1', 'TIMED_OUT', 'no answer', at(6)),
      ]);
      const winner = first ?? second;
      expect([first, second].filter((result) => result !== null)).toHaveLength(1);
      expect(winner?.state === 'SUCCEEDED' || winner?.state === 'TIMED_OUT').toBe(true);
      expect(await ctx.store.commands.findById('c1')).toEqual(winner);
      expect(await ctx.store.commands.complete('c1', 'FAILED', 'late', at(7))).toBeNull();
      expect(await ctx.store.commands.complete('ghost', 'FAILED', null, at(7))).toBeNull();
    });

    it('records the final state, reason and completion time', async () => {
      await ctx.store.commands.create(newCommand('c1'));
      const done = await ctx.store.commands.complete('c1', 'REJECTED', 'bad counter', at(9));
      expect(done).toMatchObject({ state: 'REJECTED', reason: 'bad counter', completedAt: at(9) });
    });

    it("lists a device's commands newest first, page by page, with no duplicates or gaps", async () => {
      for (let i = 0; i < 7; i++) {
        setClock(at(i * 1_000));
        await ctx.store.commands.create(newCommand(`c${i}`, 'd1', i + 1));
      }
      // Two in the same millisecond: the order must still be total and stable.
      await ctx.store.commands.create(newCommand('c7', 'd1', 8));
      await ctx.store.commands.create(newCommand('other', 'd2'));
      const seen: CommandRecord[] = [];
      let after: string | undefined;
      const sizes: number[] = [];
      for (;;) {
        const page = await ctx.store.commands.listByDevice('d1', { first: 3, after });
        sizes.push(page.items.length);
        seen.push(...page.items);
        if (!page.hasNextPage) break;
        expect(page.endCursor).toEqual(expect.any(String));
        after = page.endCursor ?? undefined;
      }
      expect(sizes).toEqual([3, 3, 2]);
      expect(new Set(seen.map((command) => command.id)).size).toBe(8);
      expect(seen.every((command) => command.deviceId === 'd1')).toBe(true);
      const times = seen.map((command) => command.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(seen.slice(2).map((command) => command.id)).toEqual(['c5', 'c4', 'c3', 'c2', 'c1', 'c0']);
    });

    it('returns an empty last page for a device without commands', async () => {
      expect(await ctx.store.commands.listByDevice('ghost', { first: 5 })).toEqual({
        items: [],
        hasNextPage: false,
        endCursor: null,
      });
    });

    it('says there is no next page when the last page is exactly full', async () => {
      await ctx.store.commands.create(newCommand('c1'));
      await ctx.store.commands.create(newCommand('c2'));
      const page = await ctx.store.commands.listByDevice('d1', { first: 2 });
      expect(page.items).toHaveLength(2);
      expect(page.hasNextPage).toBe(false);
    });

    it('rejects a cursor it did not issue', async () => {
      const listing = ctx.store.commands.listByDevice('d1', { first: 2, after: 'not-a-cursor!' });
      await expect(listing).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('finds commands still SENT that were created before a time, oldest first, up to the limit', async () => {
      for (const [i, id] of ['c0', 'c1', 'c2', 'c3'].entries()) {
        setClock(at(i * 1_000));
        await ctx.store.commands.create(newCommand(id, `d${i}`));
      }
      await ctx.store.commands.complete('c1', 'SUCCEEDED', null, at(1_500));
      const ids = (commands: CommandRecord[]) => commands.map((command) => command.id);
      expect(ids(await ctx.store.commands.findSentBefore(at(2_500), 10))).toEqual(['c0', 'c2']);
      expect(ids(await ctx.store.commands.findSentBefore(at(2_500), 1))).toEqual(['c0']);
      expect(ids(await ctx.store.commands.findSentBefore(at(0), 10))).toEqual([]);
    });

    it('supersedes the SENT commands of a lock with a lower counter, and only those', async () => {
      setClock(at(0));
      for (const [id, counter] of [['c1', 1], ['c2', 2], ['c3', 3]] as const) await ctx.store.commands.create(newCommand(id, 'd1', counter));
      await ctx.store.commands.create(newCommand('other', 'd2', 1));
      await ctx.store.commands.complete('c1', 'SUCCEEDED', null, at(1));
      await ctx.store.commands.create(newCommand('c4', 'd1', 4));
      const superseded = await ctx.store.commands.supersedeOlder('d1', 'c4', 4, at(5));
      expect(superseded.map((command) => command.id).sort()).toEqual(['c2', 'c3']);
      expect(superseded[0]).toMatchObject({ state: 'SUPERSEDED', reason: 'superseded by c4', completedAt: at(5) });
      expect(await ctx.store.commands.findById('c1')).toMatchObject({ state: 'SUCCEEDED' });
      expect(await ctx.store.commands.findById('c4')).toMatchObject({ state: 'SENT' });
      expect(await ctx.store.commands.findById('other')).toMatchObject({ state: 'SENT' });
      // A superseded command is final: no ack completes it, and supersession happens once.
      expect(await ctx.store.commands.complete('c2', 'SUCCEEDED', null, at(6))).toBeNull();
      expect(await ctx.store.commands.supersedeOlder('d1', 'c4', 4, at(7))).toEqual([]);
    });

    it('supersedes the command itself when the lock already has one with a higher counter', async () => {
      await ctx.store.commands.create(newCommand('newer', 'd1', 7));
      await ctx.store.commands.create(newCommand('late', 'd1', 6));
      const superseded = await ctx.store.commands.supersedeOlder('d1', 'late', 6, at(1));
      expect(superseded).toEqual([expect.objectContaining({ id: 'late', state: 'SUPERSEDED', reason: 'superseded by newer' })]);
      expect(await ctx.store.commands.findById('newer')).toMatchObject({ state: 'SENT' });
    });

    it('leaves one command SENT, the highest, however creations and supersessions interleave', async () => {
      const counters = [1, 2, 3, 4, 5, 6];
      await Promise.all(
        counters.map(async (counter) => {
          await ctx.store.commands.create(newCommand(`r${counter}`, 'd1', counter));
          await ctx.store.commands.supersedeOlder('d1', `r${counter}`, counter, at(1));
        }),
      );
      const states = await Promise.all(counters.map(async (counter) => (await ctx.store.commands.findById(`r${counter}`))?.state));
      expect(states).toEqual(['SUPERSEDED', 'SUPERSEDED', 'SUPERSEDED', 'SUPERSEDED', 'SUPERSEDED', 'SENT']);
    });

    it('lets one command hold an idempotency key per lock and requester until its window passes', async () => {
      setClock(at(0));
      const claim = { key: 'k1', since: at(-60_000) };
      await ctx.store.commands.create(newCommand('c1'), claim);
      const again = ctx.store.commands.create(newCommand('c2', 'd1', 2), claim);
      await expect(again).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(again).rejects.toMatchObject({ field: 'idempotencyKey' });
      expect(await ctx.store.commands.findById('c2')).toBeNull();
      expect(await ctx.store.commands.findByIdempotencyKey('d1', 'alice', 'k1', at(-60_000))).toMatchObject({ id: 'c1' });
      // Another requester, another lock, or no key at all: not the same request.
      await ctx.store.commands.create({ ...newCommand('c3', 'd1', 3), requestedBy: 'bob' }, claim);
      await ctx.store.commands.create(newCommand('c4', 'd2', 1), claim);
      await ctx.store.commands.create(newCommand('c5', 'd1', 5));
      expect(await ctx.store.commands.findByIdempotencyKey('d1', 'alice', 'k2', at(-60_000))).toBeNull();

      // Once c1 is older than the window, the key is free for a new command.
      setClock(at(61_000));
      expect(await ctx.store.commands.findByIdempotencyKey('d1', 'alice', 'k1', at(1_000))).toBeNull();
      await ctx.store.commands.create(newCommand('c6', 'd1', 6), { key: 'k1', since: at(1_000) });
      expect(await ctx.store.commands.findByIdempotencyKey('d1', 'alice', 'k1', at(1_000))).toMatchObject({ id: 'c6' });
    });

    it('lets exactly one of many concurrent creates with one key win', async () => {
      const claim = { key: 'same', since: at(-60_000) };
      setClock(at(0));
      const results = await Promise.allSettled([1, 2, 3, 4, 5].map((counter) => ctx.store.commands.create(newCommand(`k${counter}`, 'd1', counter), claim)));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    });

    it('opens a command: the next counter, a SENT command holding its key, the older SENT ones superseded', async () => {
      await seedUser(ctx.store, 'alice');
      await seedLock(ctx.store, 'd1', 'alice');
      setClock(at(0));
      const first = await ctx.store.commands.open({ id: 'o1', deviceId: 'd1', action: 'LOCK', requestedBy: 'alice' }, undefined, at(0));
      expect(first?.command).toMatchObject({ id: 'o1', counter: 1, state: 'SENT', createdAt: at(0) });
      expect(first?.superseded).toEqual([]);
      const claim = { key: 'k1', since: at(-60_000) };
      const second = await ctx.store.commands.open({ id: 'o2', deviceId: 'd1', action: 'UNLOCK', requestedBy: 'alice' }, claim, at(1));
      expect(second?.command).toMatchObject({ id: 'o2', counter: 2, state: 'SENT' });
      expect(second?.superseded).toEqual([expect.objectContaining({ id: 'o1', state: 'SUPERSEDED', reason: 'superseded by o2', completedAt: at(1) })]);
      expect((await ctx.store.locks.findByDeviceId('d1'))?.commandCounter).toBe(2);
      expect(await ctx.store.commands.findByIdempotencyKey('d1', 'alice', 'k1', claim.since)).toMatchObject({ id: 'o2' });

      const repeat = ctx.store.commands.open({ id: 'o3', deviceId: 'd1', action: 'UNLOCK', requestedBy: 'alice' }, claim, at(2));
      await expect(repeat).rejects.toMatchObject({ field: 'idempotencyKey' });
      expect(await ctx.store.commands.findById('o3')).toBeNull();
      expect(await ctx.store.commands.findById('o2')).toMatchObject({ state: 'SENT' }); // nothing superseded by the refused one
      expect(await ctx.store.commands.open({ id: 'o4', deviceId: 'ghost', action: 'LOCK', requestedBy: 'alice' }, undefined, at(3))).toBeNull();
      expect(await ctx.store.commands.findById('o4')).toBeNull();
    });

    it('leaves one opened command SENT, the newest, however many open at once', async () => {
      await seedUser(ctx.store, 'alice');
      await seedLock(ctx.store, 'd1', 'alice');
      const ids = ['p1', 'p2', 'p3', 'p4', 'p5'];
      const opened = await Promise.all(ids.map((id) => ctx.store.commands.open({ id, deviceId: 'd1', action: 'LOCK', requestedBy: 'alice' }, undefined, at(1))));
      expect(new Set(opened.map((o) => o?.command.counter)).size).toBe(ids.length);
      const states = await Promise.all(ids.map(async (id) => (await ctx.store.commands.findById(id))?.state));
      expect(states.filter((state) => state === 'SENT')).toHaveLength(1);
      const newest = opened.reduce((a, b) => ((b?.command.counter ?? 0) > (a?.command.counter ?? 0) ? b : a));
      expect(await ctx.store.commands.findById(newest?.command.id ?? '')).toMatchObject({ state: 'SENT' });
    });

    it("removes one device's commands and keeps the others", async () => {
      await ctx.store.commands.create(newCommand('c1', 'd1'));
      await ctx.store.commands.create(newCommand('c2', 'd1'));
      await ctx.store.commands.create(newCommand('c3', 'd2'));
      await ctx.store.commands.removeByDevice('d1');
      expect(await ctx.store.commands.findById('c1')).toBeNull();
      expect(await ctx.store.commands.findById('c2')).toBeNull();
      expect(await ctx.store.commands.findById('c3')).not.toBeNull();
    });
  });
}
