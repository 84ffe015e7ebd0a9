/**
 * Keyed subscriptions (issue 17, item 4): a subscriber of one lock's changes gets that lock's
 * events only, and is not even woken by the others', while a subscriber of every change still
 * gets them all.
 */
import { describe, expect, it } from 'vitest';
import type { LockRecord } from '../store/records.js';
import { MAX_EVENTS_BEHIND, MemoryEventBus } from './memory-event-bus.js';

const changed = (deviceId: string, status = 'LOCKED') => ({ deviceId, status }) as LockRecord;

/** What a subscription holds right now, without waiting for more. */
async function drain<T>(iterator: AsyncIterableIterator<T>, count: number): Promise<T[]> {
  const got: T[] = [];
  for (let i = 0; i < count; i += 1) got.push((await iterator.next()).value as T);
  return got;
}

describe('keyed subscriptions', () => {
  it("give one lock's subscriber that lock's changes only, and every change to the unkeyed one", async () => {
    const bus = new MemoryEventBus();
    const one = bus.subscribe('lock.changed', 'lock-1');
    const two = bus.subscribe('lock.changed', 'lock-2');
    const all = bus.subscribe('lock.changed');
    bus.publish('lock.changed', changed('lock-1', 'UNLOCKED'));
    bus.publish('lock.changed', changed('lock-2'));
    bus.publish('lock.changed', changed('lock-3'));
    bus.publish('lock.changed', changed('lock-1', 'LOCKED'));
    expect((await drain(one, 2)).map((l) => `${l.deviceId}:${l.status}`)).toEqual(['lock-1:UNLOCKED', 'lock-1:LOCKED']);
    expect((await drain(two, 1)).map((l) => l.deviceId)).toEqual(['lock-2']);
    expect((await drain(all, 4)).map((l) => l.deviceId)).toEqual(['lock-1', 'lock-2', 'lock-3', 'lock-1']);
    // Nothing else is queued: the next read of lock-2's subscriber waits for a lock-2 event.
    const next = two.next();
    bus.publish('lock.changed', changed('lock-1'));
    bus.publish('lock.changed', changed('lock-2', 'UNLOCKED'));
    expect(await next).toEqual({ done: false, value: changed('lock-2', 'UNLOCKED') });
  });

  it('are not woken by other keys: a burst of changes of other locks does not end a stalled per-lock subscriber', async () => {
    const bus = new MemoryEventBus();
    const mine = bus.subscribe('lock.changed', 'mine');
    // A sweep marking a whole fleet in one synchronous run: more than a subscriber may hold.
    for (let n = 0; n <= MAX_EVENTS_BEHIND; n += 1) bus.publish('lock.changed', changed(`other-${n}`));
    bus.publish('lock.changed', changed('mine', 'UNLOCKED'));
    expect(await mine.next()).toEqual({ done: false, value: changed('mine', 'UNLOCKED') });
  });

  it('keys commands by id', async () => {
    const bus = new MemoryEventBus();
    const mine = bus.subscribe('command.updated', 'cmd-2');
    bus.publish('command.updated', { id: 'cmd-1', state: 'SENT' } as never);
    bus.publish('command.updated', { id: 'cmd-2', state: 'SUCCEEDED' } as never);
    expect(await mine.next()).toEqual({ done: false, value: { id: 'cmd-2', state: 'SUCCEEDED' } });
  });

  it('refuse a key for an event that has none, rather than deliver nothing', () => {
    expect(() => new MemoryEventBus().subscribe('lock.removed', 'lock-1')).toThrow(/no key/);
  });

  it("release a key's entry when its last subscriber ends, and keep delivering to the others", async () => {
    const bus = new MemoryEventBus();
    const first = bus.subscribe('lock.changed', 'lock-1');
    const second = bus.subscribe('lock.changed', 'lock-1');
    await first.return?.();
    bus.publish('lock.changed', changed('lock-1'));
    expect(await second.next()).toEqual({ done: false, value: changed('lock-1') });
    expect(await first.next()).toEqual({ done: true, value: undefined });
    await second.return?.();
    // Subscribing again after the entry was dropped works as the first time.
    const again = bus.subscribe('lock.changed', 'lock-1');
    bus.publish('lock.changed', changed('lock-1', 'UNLOCKED'));
    expect(await again.next()).toEqual({ done: false, value: changed('lock-1', 'UNLOCKED') });
  });
});
